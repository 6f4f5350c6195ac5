package main

import (
	"context"
	"errors"
	"time"

	"github.com/dnsblaudit/dnsblaudit/dnsbl"
	"github.com/dnsblaudit/dnsblaudit/investigate"
	"github.com/dnsblaudit/dnsblaudit/whoisctx"
)

// wiring is what an investigation is built from: the configuration
// sections and the choices of the command line. Both investigate and the
// demo fill one in; only the demo points it at loopback servers.
type wiring struct {
	dnsbl     dnsbl.Config
	whois     whoisctx.Config
	statePath string // "" = no history
	noWhois   bool
	now       func() time.Time
}

// built is an Investigator with what must be closed after it.
type built struct {
	inv     *investigate.Investigator
	closers []func() error
}

func (b *built) Close() error {
	var errs []error
	for i := len(b.closers) - 1; i >= 0; i-- {
		errs = append(errs, b.closers[i]())
	}
	return errors.Join(errs...)
}

// build wires the parts; scanner comes from the evidence configuration.
func (w wiring) build(ctx context.Context, scanner investigate.Scanner) (*built, error) {
	b := &built{inv: &investigate.Investigator{Scanner: scanner, Now: w.now}}
	if ob, ok := scanner.(investigate.OutboundScanner); ok {
		b.inv.Outbound = ob
	}
	if sp, ok := scanner.(scanPart); ok {
		b.inv.LinkWindow = sp.opts.LinkWindow
	}
	chk, err := dnsbl.NewChecker(w.dnsbl, dnsbl.WithClock(w.now))
	if err != nil {
		return nil, err
	}
	b.inv.Checker = checkerPart{chk}
	b.closers = append(b.closers, chk.Close)
	var whoisOpts []whoisctx.Option
	if w.statePath != "" {
		db, err := openHistory(ctx, w.statePath, w.now)
		if err != nil {
			b.Close()
			return nil, err
		}
		if db != nil {
			b.inv.History = db
			b.closers = append(b.closers, db.Close)
			// Answers are cached by covering prefix in the same file, so a
			// second investigation of the same probers asks no registry.
			whoisOpts = append(whoisOpts, whoisctx.WithCache(db.WhoisCache()))
		}
	}
	if !w.noWhois {
		// The DNS sources share dnsbl's socket layer, like the whois command.
		dnsT := dnsbl.NewNetTransport()
		b.closers = append(b.closers, dnsT.Close)
		whoisOpts = append(whoisOpts, whoisctx.WithClock(w.now), whoisctx.WithTransport(dnsT))
		f, err := whoisctx.New(w.whois, whoisOpts...)
		if err != nil {
			b.Close()
			return nil, err
		}
		b.inv.Contacts = f
	}
	return b, nil
}

// checkerPart adapts dnsbl.Checker (no progress bar: investigate prints
// one summary at the end).
type checkerPart struct{ c *dnsbl.Checker }

func (p checkerPart) Check(ctx context.Context, targets []string) (*dnsbl.Report, error) {
	return p.c.Check(ctx, targets, nil)
}
