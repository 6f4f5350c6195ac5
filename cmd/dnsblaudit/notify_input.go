package main

import (
	"context"
	"fmt"
	"io"
	"os"

	"github.com/dnsblaudit/dnsblaudit/notify"
	"github.com/dnsblaudit/dnsblaudit/whoisctx"
)

// load reads the evidence or case, merges --contacts, and looks up the
// contacts still missing (for per-desk templates only: a list operator or
// vendor is addressed with --to).
func (r *notifyRun) load(ctx context.Context) error {
	var err error
	switch p := r.c.String(flagNotifyEvidence); p {
	case "-":
		r.in, err = readEvidenceStdin(r.c.App.Reader)
	case "":
		r.in, err = notify.ReadCase(r.c.String(flagNotifyCase))
	default:
		r.in, err = notify.ReadEvidence(p)
	}
	if err != nil {
		return err
	}
	if p := r.c.String(flagNotifyContacts); p != "" {
		m, err := notify.ReadContacts(p)
		if err != nil {
			return err
		}
		if r.in.Contacts == nil {
			r.in.Contacts = map[string][]whoisctx.Contact{}
		}
		// Matched by address, so "2001:DB8::1" in the file applies to
		// "2001:db8::1"; a query that found nothing keeps what the input had.
		file := notify.Input{Contacts: m}
		for _, p := range r.in.Report.Probers {
			if cs := file.ContactsOf(p.IP); len(cs) > 0 {
				r.in.Contacts[p.IP] = cs
			}
		}
	}
	if r.c.Bool(flagNotifyNoLookup) || notify.SingleNotice(r.opts.Template) || !r.missingContacts() {
		return nil
	}
	return r.lookup(ctx)
}

// readEvidenceStdin reads `--evidence -`, so that a scan can be piped in.
func readEvidenceStdin(in io.Reader) (notify.Input, error) {
	if in == nil {
		in = os.Stdin
	}
	data, err := io.ReadAll(io.LimitReader(in, 512<<20))
	if err != nil {
		return notify.Input{}, fmt.Errorf("%w: stdin: %w", notify.ErrInput, err)
	}
	return notify.ParseEvidence("stdin", data)
}

func (r *notifyRun) missingContacts() bool {
	for _, p := range r.in.Report.Probers {
		if len(r.in.ContactsOf(p.IP)) == 0 {
			return true
		}
	}
	return false
}

// lookup asks whoisctx, with the same settings as `dnsblaudit whois`, for
// the probers that have no contact yet. A failed lookup leaves a draft.
func (r *notifyRun) lookup(ctx context.Context) error {
	wcfg, err := whoisConfig(r.c, r.appCfg)
	if err != nil {
		return err
	}
	opts, closeCache := whoisCache(r.c, r.appCfg)
	defer closeCache()
	f, err := whoisctx.New(wcfg, opts...)
	if err != nil {
		return fmt.Errorf("notify: whois: %w", err)
	}
	r.lookupErrs = notify.LookupMissing(ctx, &r.in, f)
	return nil
}
