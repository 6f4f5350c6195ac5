package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"strings"
	"time"

	"github.com/urfave/cli/v2"

	"github.com/dnsblaudit/dnsblaudit/config"
	"github.com/dnsblaudit/dnsblaudit/notify"
	"github.com/dnsblaudit/dnsblaudit/state"
	"github.com/dnsblaudit/dnsblaudit/templates"
)

// notifyRun is one invocation of `dnsblaudit notify`: flags turned into
// notify.Options, then load, plan, and review or deliver.
type notifyRun struct {
	c      *cli.Context
	appCfg *config.Config
	cfg    notify.Config
	opts   notify.Options
	send   bool
	outDir string
	mbox   string
	stdout bool

	in          notify.Input
	lookupErrs  map[string]error
	db          *state.DB
	lock        *state.RunLock
	notices     []notify.Notice
	skipped     []notify.Skip
	paths       map[int]string // notice index -> file written
	delivery    *notify.Delivery
	recordError error
}

// newNotifyRun validates the flags against each other and the
// configuration before anything is read or sent.
func newNotifyRun(c *cli.Context, appCfg *config.Config) (*notifyRun, error) {
	r := &notifyRun{c: c, appCfg: appCfg, send: c.Bool(flagNotifySend), outDir: c.String(flagNotifyOut),
		mbox: c.String(flagNotifyMbox), stdout: c.Bool(flagNotifyStdout), paths: map[int]string{}}
	if err := r.checkFlags(); err != nil {
		return nil, err
	}
	r.cfg = appCfg.Notify
	if c.IsSet(flagNotifyMax) {
		if r.cfg.MaxPerRun = c.Int(flagNotifyMax); r.cfg.MaxPerRun < 1 {
			return nil, fmt.Errorf("notify: --%s %d: want at least 1", flagNotifyMax, r.cfg.MaxPerRun)
		}
	}
	r.cfg = r.cfg.WithDefaults()
	if err := r.cfg.Validate(); err != nil {
		return nil, fmt.Errorf("config: %w", err)
	}
	if r.cfg.From == "" {
		return nil, fmt.Errorf("notify: %w: recipients reply to it, and callout-doing servers call it back", notify.ErrNoFrom)
	}
	opts, err := notifyOptions(c, r.cfg)
	if err != nil {
		return nil, err
	}
	r.opts = opts
	zone := c.String(flagNotifyLogZone)
	if zone == "" {
		zone = appCfg.Evidence.TimeZone
	}
	r.opts.LogZone = logZoneName(zone)
	if !r.send && r.outDir == "" && r.mbox == "" && !r.stdout {
		r.outDir = defaultNoticeDir
	}
	return r, nil
}

func (r *notifyRun) checkFlags() error {
	c := r.c
	if (c.String(flagNotifyEvidence) == "") == (c.String(flagNotifyCase) == "") {
		return fmt.Errorf("notify: give exactly one of --%s FILE or --%s DIR", flagNotifyEvidence, flagNotifyCase)
	}
	if r.send && (r.mbox != "" || r.stdout) {
		return fmt.Errorf("notify: --%s and --%s are for dry runs; --%s sends (use --%s DIR to keep copies)", flagNotifyMbox, flagNotifyStdout, flagNotifySend, flagNotifyOut)
	}
	if n := countTrue(r.outDir != "", r.mbox != "", r.stdout); n > 1 {
		return fmt.Errorf("notify: choose one of --%s, --%s and --%s", flagNotifyOut, flagNotifyMbox, flagNotifyStdout)
	}
	if c.Bool(flagNotifyYes) && !r.send {
		return fmt.Errorf("notify: --%s only makes sense with --%s", flagNotifyYes, flagNotifySend)
	}
	return nil
}

func countTrue(bs ...bool) int {
	n := 0
	for _, b := range bs {
		if b {
			n++
		}
	}
	return n
}

// notifyOptions turns the configuration and flags into notify.Options.
func notifyOptions(c *cli.Context, cfg notify.Config) (notify.Options, error) {
	dir := cfg.Templates
	if d := c.String(flagNotifyTemplates); d != "" {
		dir = d
	}
	set, err := templates.Load(dir)
	if err != nil {
		return notify.Options{}, fmt.Errorf("notify: %w", err)
	}
	tmpl := cfg.Template
	if t := c.String(flagNotifyTemplate); t != "" {
		tmpl = t
	}
	if tmpl == "" {
		tmpl = templates.CallbackNotice
	}
	if !set.Has(tmpl) {
		return notify.Options{}, fmt.Errorf("notify: --%s %q: %w (have %s)", flagNotifyTemplate, tmpl, templates.ErrUnknown, strings.Join(set.Names(), ", "))
	}
	o, err := noticeOptions(cfg, set, time.Now)
	if err != nil {
		return notify.Options{}, err
	}
	to := c.String(flagNotifyTo)
	if to != "" {
		if _, err := notify.ParseAddress(to); err != nil {
			return notify.Options{}, fmt.Errorf("notify: --%s: %w", flagNotifyTo, err)
		}
	}
	o.Template, o.To = tmpl, to
	o.XARF = o.XARF || c.Bool(flagNotifyXARF)
	o.Listing, o.Vendor = listingFlags(c), vendorFlags(c)
	return o, nil
}

// noticeOptions is what the notify section of the configuration says about
// every notice, for `notify` and for the notices of an investigation alike.
// One rule for the zone of every time in a notice, on both paths:
// notify.time_zone, else UTC (never the zone of the machine that happens
// to render it).
func noticeOptions(cfg notify.Config, set *templates.Set, now func() time.Time) (notify.Options, error) {
	zone := time.UTC
	if cfg.TimeZone != "" {
		var err error
		if zone, err = time.LoadLocation(cfg.TimeZone); err != nil {
			return notify.Options{}, fmt.Errorf("notify.time_zone %q: %w", cfg.TimeZone, err)
		}
	}
	return notify.Options{
		Templates: set, From: cfg.From, ReplyTo: cfg.ReplyTo, EnvelopeFrom: cfg.EnvelopeFrom,
		Operator: templates.Operator{Name: cfg.Name, Org: cfg.Organisation, Phone: cfg.Phone},
		Policy:   notify.Policy{Recipients: cfg.Recipients, MinConfidence: cfg.MinConfidence, Suppress: cfg.Suppress},
		XARF:     cfg.XARF, InfoURL: cfg.InfoURL, Zone: zone, Now: now, OurIPs: cfg.MXIPs,
	}, nil
}

// listingFlags is the listing named on the command line, if any; it wins
// over the case's.
func listingFlags(c *cli.Context) *templates.Listing {
	l := templates.Listing{List: c.String(flagNotifyList), IP: c.String(flagNotifyListedIP), Zone: c.String(flagNotifyZone),
		Reason: c.String(flagNotifyReason), DelistURL: c.String(flagNotifyDelistURL)}
	if l.List == "" && l.IP == "" && l.Zone == "" && l.Reason == "" && l.DelistURL == "" {
		return nil
	}
	return &l
}

func vendorFlags(c *cli.Context) *templates.Vendor {
	v := templates.Vendor{Name: c.String(flagNotifyVendor), Product: c.String(flagNotifyProduct), Account: c.String(flagNotifyAccount)}
	if v == (templates.Vendor{}) {
		return nil
	}
	return &v
}

// openState opens the sent-notices record. A dry run never creates the
// file (nothing was sent if there is none); a sending run creates it and
// holds the run lock, so two runs cannot both mail the same desk.
func (r *notifyRun) openState(ctx context.Context) error {
	path, err := statePath(r.c, r.appCfg)
	if err != nil {
		return err
	}
	db, err := state.Open(ctx, path, state.Options{MustExist: !r.send})
	if errors.Is(err, state.ErrNotExist) {
		return nil
	}
	if err != nil {
		return err
	}
	r.db = db
	if r.send {
		if r.lock, err = db.LockRuns(ctx, time.Minute); err != nil {
			return err
		}
	}
	return nil
}

func (r *notifyRun) store() notify.Store {
	if r.db == nil {
		return nil
	}
	return r.db
}

// plan drops what was already sent, desks in cool-down and notices over
// the cap, then renders the rest.
func (r *notifyRun) plan(ctx context.Context) error {
	if err := r.openState(ctx); err != nil {
		return fmt.Errorf("notify: %w", err)
	}
	batches, skipped := notify.Batches(r.in, r.opts)
	batches, planned, err := notify.Plan(ctx, batches, r.store(), notify.Limits{
		Cooldown: r.cfg.Cooldown, MaxPerRun: r.cfg.MaxPerRun, Now: r.opts.Now(),
	})
	if err != nil {
		return err
	}
	r.skipped = append(skipped, planned...)
	r.notices, err = notify.RenderBatches(r.in, batches, r.opts)
	return err
}

func (r *notifyRun) close() {
	if r.lock != nil {
		r.lock.Unlock()
	}
	if r.db != nil {
		r.db.Close()
	}
}

// exit maps the outcome to the exit status documented in the usage.
func (r *notifyRun) exit() error {
	if r.recordError != nil {
		return r.recordError
	}
	if r.delivery != nil && len(r.delivery.Failed) > 0 {
		return withCode(exitUnknown, fmt.Sprintf("notify: %d of %d notices failed to send", len(r.delivery.Failed), len(r.delivery.Failed)+len(r.delivery.Sent)))
	}
	for _, n := range r.notices {
		if n.NeedsRecipient || n.NeedsReview {
			return withCode(exitWarning, "")
		}
	}
	for _, s := range r.skipped {
		if s.Reason == notify.SkipCap {
			return withCode(exitWarning, "")
		}
	}
	return nil
}

// flagNotifyLogZone names the zone of the quoted log lines' stamps.
const flagNotifyLogZone = "log-zone"

// logZoneName is how a notice names the zone of quoted log stamps that
// carry none: the zone the logs were read in (evidence.time_zone), or
// else the local zone they were read in, by its IANA name when the system
// tells it, so the reader can convert. An offset is a last resort: it is
// today's, and logs from before a daylight-saving change had another.
func logZoneName(zone string) string {
	if zone != "" {
		return zone
	}
	if name := localZoneName(os.LookupEnv, os.Readlink); name != "" {
		return name + " (the mail host's local time)"
	}
	return "the mail host's local time (" + time.Now().Format("MST, UTC-0700") + " today)"
}

// localZoneName is the IANA name of the local zone as Go's time package
// finds it: $TZ (set but empty is UTC), else the /etc/localtime link into
// a zoneinfo directory; "" when neither names one.
func localZoneName(lookupEnv func(string) (string, bool), readlink func(string) (string, error)) string {
	if tz, set := lookupEnv("TZ"); set {
		tz = strings.TrimPrefix(tz, ":")
		switch _, err := time.LoadLocation(tz); {
		case tz == "":
			return "UTC"
		case err != nil || strings.HasPrefix(tz, "/"):
			return ""
		}
		return tz
	}
	target, err := readlink("/etc/localtime")
	if err != nil {
		return ""
	}
	_, name, ok := strings.Cut(target, "zoneinfo/")
	if !ok {
		return ""
	}
	if _, err := time.LoadLocation(name); err != nil {
		return ""
	}
	return name
}
