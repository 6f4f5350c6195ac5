package evidence

import (
	"context"
	"errors"
	"fmt"
	"io"
	"math"
	"net/netip"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"time"
)

// ScanOptions says what to read and what to look for.
type ScanOptions struct {
	// Inputs are files, globs, or "-" for Stdin; read in the order given.
	Inputs []string
	// Stdin is read for "-" (default os.Stdin).
	Stdin io.Reader
	// Domains are the own domains: probes about them are reported, and
	// senders in them from outside OwnNetworks are forged.
	Domains []string
	// OwnNetworks are CIDRs or IPs of the operator's sending hosts.
	OwnNetworks []string
	// Since and Until bound the events used (zero = unbounded).
	Since, Until time.Time
	// Zone reads stamps without a zone and is the zone of report times
	// (default time.Local).
	Zone *time.Location
	// Now is the clock (default time.Now); it is the RFC 3164 year
	// reference for stdin.
	Now func() time.Time
	// YearReference, when set, replaces each file's mtime as the reference
	// for RFC 3164 years (golden tests set it for byte-stable output).
	YearReference time.Time
	// Format forces one format for every input (FormatAuto = sniff).
	Format Format
	// FormatFor forces a format for inputs matching a glob; wins over Format.
	FormatFor map[string]Format
	// LinkWindow bounds probe-forgery links (default 24h).
	LinkWindow time.Duration
	// MaxLineBytes caps a line (default 64 KiB); MaxBadLines is how many
	// bad lines each file keeps for the report (default 5).
	MaxLineBytes int
	MaxBadLines  int
	// Workers parse in parallel (default GOMAXPROCS).
	Workers int
	// SniffLines is how many lines format detection reads (default 64).
	SniffLines int

	chunkSize   int  // read buffer size (tests make it small); default 256 KiB
	noPrefilter bool // tests compare reports with and without boringFilter
}

// ErrBadOption marks invalid ScanOptions (a bad network, an empty input list).
var ErrBadOption = errors.New("invalid scan option")

// OptionsFromConfig fills ScanOptions from the evidence section and the
// top-level own domains and networks; inputs fall back to cfg.Logs.
func OptionsFromConfig(cfg Config, domains, networks, inputs []string) (ScanOptions, error) {
	cfg = cfg.WithDefaults()
	if err := cfg.Validate(); err != nil {
		return ScanOptions{}, err
	}
	loc, _ := cfg.Location()
	f, _ := ParseFormat(cfg.Format)
	o := ScanOptions{Inputs: inputs, Domains: domains, OwnNetworks: networks, Zone: loc, Format: f,
		LinkWindow: cfg.LinkWindow, MaxLineBytes: cfg.MaxLineBytes, MaxBadLines: cfg.FirstBad}
	if len(o.Inputs) == 0 {
		o.Inputs = cfg.Logs
	}
	if len(cfg.Formats) > 0 {
		o.FormatFor = map[string]Format{}
		for g, name := range cfg.Formats {
			o.FormatFor[g], _ = ParseFormat(name)
		}
	}
	return o, nil
}

func (o *ScanOptions) defaults() {
	if o.Zone == nil {
		o.Zone = time.Local
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.Stdin == nil {
		o.Stdin = os.Stdin
	}
	if o.LinkWindow == 0 {
		o.LinkWindow = DefaultLinkWindow
	}
	if o.MaxLineBytes <= 0 {
		o.MaxLineBytes = DefaultMaxLineBytes
	}
	if o.MaxBadLines == 0 {
		o.MaxBadLines = DefaultFirstBad
	}
	if o.Workers <= 0 {
		o.Workers = runtime.GOMAXPROCS(0)
	}
	if o.SniffLines <= 0 {
		o.SniffLines = 64
	}
}

// ParseNetworks reads CIDRs and single IPs.
func ParseNetworks(list []string) ([]netip.Prefix, error) {
	var out []netip.Prefix
	for _, s := range list {
		s = strings.TrimSpace(s)
		if p, err := netip.ParsePrefix(s); err == nil {
			out = append(out, p.Masked())
			continue
		}
		a, err := netip.ParseAddr(s)
		if err != nil {
			return nil, fmt.Errorf("network %q: want a CIDR or an IP: %w", s, ErrBadOption)
		}
		a = a.Unmap()
		out = append(out, netip.PrefixFrom(a, a.BitLen()))
	}
	return out, nil
}

// Scan reads every input and returns what it found. Unreadable inputs and
// bad lines are reported in Stats, not fatal; the error is ErrNoInput only
// when nothing at all could be read, ErrBadOption for invalid options, or
// the context's error.
func Scan(ctx context.Context, opts ScanOptions) (*Report, error) {
	opts.defaults()
	nets, err := ParseNetworks(opts.OwnNetworks)
	if err != nil {
		return nil, err
	}
	if len(opts.Inputs) == 0 {
		return nil, fmt.Errorf("no inputs given: %w", ErrBadOption)
	}
	sc := newScanner(&opts, nets)
	defer sc.agg.keys.close() // a spill file, if the probes were many
	ins, bad := expandInputs(opts.Inputs)
	sc.agg.copies = len(ins) > 1
	sc.files = append(sc.files, bad...)
	readable := 0
	for _, in := range ins {
		fs, err := sc.scanInput(ctx, in)
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		if err != nil {
			fs.Error = err.Error()
		} else {
			readable++
		}
		sc.files = append(sc.files, fs)
	}
	rep := sc.report()
	if readable == 0 {
		return rep, fmt.Errorf("%s: %w", strings.Join(opts.Inputs, ", "), ErrNoInput)
	}
	return rep, nil
}

// scanner is the state of one Scan across its inputs.
type scanner struct {
	o          *ScanOptions
	camp       *campaign
	domains    domainSet
	agg        *aggregator
	explain    *explainer
	asm        *assembler // one for all inputs: a session may go on in the next rotated file
	files      []FileStats
	stats      Stats
	notAccused map[string]int
	span       Span
	clock      stampCache
}

func newScanner(o *ScanOptions, nets []netip.Prefix) *scanner {
	sc := &scanner{o: o, camp: newCampaign(o.Domains, nets), domains: newDomainSet(o.Domains), agg: newAggregator(),
		notAccused: map[string]int{}}
	sc.explain = newExplainer(sc.released)
	sc.asm = newAssembler(sc.camp, sc.onClose)
	sc.asm.delivered = sc.explain.delivered
	sc.asm.ownMail = sc.explain.rememberOwnMail
	sc.asm.deliveredTo = sc.explain.deliveredTo
	sc.asm.ownRelayed = sc.explain.ownRelayed
	sc.asm.advanced = sc.explain.advance
	return sc
}

// scanInput reads one input through the pipeline.
func (sc *scanner) scanInput(ctx context.Context, in input) (FileStats, error) {
	fs := FileStats{File: in.name}
	r, closer, mtime, comp, err := openInput(in, sc.o.Stdin)
	if err != nil {
		return fs, err
	}
	defer closer()
	fs.Compression = comp
	ref := mtime
	if !sc.o.YearReference.IsZero() {
		ref = sc.o.YearReference
	} else if ref.IsZero() || ref.After(sc.o.Now()) {
		ref = sc.o.Now()
	}
	// 256 KiB: now that most lines leave no event behind on the worker,
	// a batch stays small, and half as many chunks as with 128 KiB
	// halve the channel hand-offs and read calls: on the 600 MB log,
	// ten alternating runs, median wall 0.49 s against 0.515 s, peak
	// RSS +1.5 MB (BENCHMARKS.md).
	size := max(256<<10, 2*sc.o.MaxLineBytes)
	if sc.o.chunkSize > 0 {
		size = sc.o.chunkSize
	}
	cr := newChunkReader(r, size)
	first, ok, err := cr.next()
	if err != nil {
		return fs, fmt.Errorf("%s: %w", in.name, err)
	}
	mode, label := sc.formatFor(in, first)
	fs.Format = string(label)
	if !ok {
		return fs, nil // empty input: readable, nothing in it
	}
	cr.unread(first)
	guess := yearGuess{ref: ref.In(sc.o.Zone)}
	sc.clock = stampCache{}
	err = runPipeline(ctx, cr, mode, in.name, sc.o, func(b *batch) {
		sc.consume(b, &fs, &guess, sc.asm)
	})
	for _, w := range guess.warnings {
		sc.stats.Warnings = append(sc.stats.Warnings, in.name+": "+w)
	}
	if err != nil {
		return fs, fmt.Errorf("%s: %w", in.name, err)
	}
	return fs, nil
}

// formatFor applies the overrides, else sniffs the first chunk.
func (sc *scanner) formatFor(in input, first chunk) (mode, label Format) {
	for glob, f := range sc.o.FormatFor {
		if ok, _ := filepath.Match(glob, in.name); ok && f != FormatAuto {
			return f, f
		}
	}
	if sc.o.Format != FormatAuto {
		return sc.o.Format, sc.o.Format
	}
	if first.overlong {
		return FormatSyslog, FormatSyslog
	}
	return detectFormat(first.data, sc.o.SniffLines)
}

// consume resolves the stamps of a batch in file order and feeds the events on.
func (sc *scanner) consume(b *batch, fs *FileStats, guess *yearGuess, asm *assembler) {
	// The worker numbered the chunk's lines from 1; the file's lines so
	// far make them the file's line numbers.
	base := fs.Lines
	fs.Lines += b.lines
	fs.Malformed += b.malformed
	fs.Unknown += b.unknown
	sc.stats.Lines += b.lines
	sc.stats.Malformed += b.malformed
	sc.stats.Unknown += b.unknown
	sc.stats.Ignored += b.ignored
	for k, n := range b.unused {
		if sc.stats.Unused == nil {
			sc.stats.Unused = map[string]int{}
		}
		sc.stats.Unused[k] += n
	}
	sc.stats.Events += b.unneeded
	for _, l := range b.bad {
		if len(fs.FirstBad) < sc.o.MaxBadLines {
			l.Line += base
			fs.FirstBad = append(fs.FirstBad, l)
		}
	}
	sc.stats.Sessions += b.droppedSessions
	if b.hasDropped {
		sc.widenInWindow(peekTime(b.firstDropped, sc.o.Zone, guess))
	}
	months := b.months
	for i := range b.events {
		ev := &b.events[i]
		// The month changes before this line move the year guess first.
		for len(months) > 0 && months[0].line < ev.Line {
			months[0].st.resolve(sc.o.Zone, guess)
			months = months[1:]
		}
		if ev.Kind == KindNone {
			continue // dropped on the worker (boringFilter)
		}
		ev.Line += base
		ev.Time = sc.clock.resolve(ev.stamp, sc.o.Zone, guess)
		if !ev.Time.IsZero() && sc.outsideWindow(ev.Time) {
			sc.stats.Skipped++
			continue
		}
		sc.stats.Events++
		sc.widen(ev.Time)
		asm.add(ev)
	}
	for _, m := range months {
		m.st.resolve(sc.o.Zone, guess)
	}
	if b.hasDropped {
		for _, st := range []rawStamp{b.lastDropped, b.minDropped, b.maxDropped} {
			sc.widenInWindow(peekTime(st, sc.o.Zone, guess))
		}
	}
}

// widenInWindow widens the span with the time of an event dropped on a
// worker, if it lies inside the window.
func (sc *scanner) widenInWindow(t time.Time) {
	if !sc.outsideWindow(t) {
		sc.widen(t)
	}
}

// outsideWindow tells whether t is before --since or after --until.
func (sc *scanner) outsideWindow(t time.Time) bool {
	return (!sc.o.Since.IsZero() && t.Before(sc.o.Since)) || (!sc.o.Until.IsZero() && t.After(sc.o.Until))
}

func (sc *scanner) widen(t time.Time) {
	if t.IsZero() {
		return // spamdb TRAPPED and SPAMTRAP entries carry no time
	}
	if sc.span.First.IsZero() || t.Before(sc.span.First) {
		sc.span.First = t
	}
	if t.After(sc.span.Last) {
		sc.span.Last = t
	}
}

// onClose judges a closed session (rules.go). Convictions that a later
// delivery or retry may still explain are held (explain.go); sessions
// that fit a callout and are not accused become suspects, except those
// of own hosts and own senders, which are only counted.
func (sc *scanner) onClose(s *session) {
	sc.camp.flushUses(s)
	v := judge(s, sc.camp.ownIP, sc.domains)
	if !v.fits || !wantedBy(sc.domains, s) {
		return
	}
	switch {
	case v.rule != "" && ruleOwnMailVerified(s, sc.explain.ownMailUse):
		v = verdict{fits: true, notAccused: WhyOwnMail}
	case ruleOwnMailReturned(s, v, sc.explain.ownMailUse):
		v = verdict{fits: true, notAccused: WhyOwnMailReturned}
	case v.rule != "" && sc.ownRelayed(s):
		v = verdict{fits: true, notAccused: WhyOwnMail}
	}
	switch {
	case v.rule != "" && v.hold == heldNone && len(sc.explain.ownMailDom) > 0 && sc.explain.ownMailInFlight(s.rcptAddrs(), s.probeTime()):
		sc.explain.holdShort(s.key.host, heldProbe(s, v))
	case v.hold != heldNone:
		sc.explain.hold(s.key.host, heldProbe(s, v), v)
	case v.rule == "":
		sc.notAccused[v.notAccused]++
		if v.notAccused != WhyOwnNetwork && v.notAccused != WhyOwnSender && v.notAccused != WhyAuthenticated {
			sc.agg.addSuspect(probeOf(s, v))
		}
	default:
		sc.agg.add(probeOf(s, v))
	}
}

// heldProbe is the session's probe with copies of its own: it waits for
// a later delivery or retry, while the batch it was read in is let go.
func heldProbe(s *session, v verdict) Probe {
	p := probeOf(s, v)
	p.own()
	return p
}

// ownRelayed tells whether a remote delivery of our own mail read so far
// explains the convicted session s (ruleOwnMailRelayed).
func (sc *scanner) ownRelayed(s *session) bool {
	if len(sc.explain.relayed) == 0 || s.ip == "" {
		return false
	}
	return sc.explain.ownRelayedTo(relayFamilies(s.ip, s.name, s.helo), s.rcptAddrs(), s.probeTime())
}

// released counts a held session once its window has passed: a prober's
// probe, or a suspect's when a delivery or a retry explained it.
func (sc *scanner) released(h *held) {
	p := h.p
	why := p.NotAccused
	switch {
	case h.ownRelay:
		why = WhyOwnMail
	case h.forwarded:
		why = WhyForwarded
	case h.explained:
		why = WhyDelivered
	case h.retried:
		why = WhyRetried
		sc.camp.retriedBounce(&p)
	case h.convicted():
		sc.agg.add(p)
		return
	}
	p.Kind, p.Confidence, p.NotAccused, p.Reason = "", 0, why, whyText[why]
	sc.notAccused[why]++
	sc.agg.addSuspect(p)
}

func (sc *scanner) report() *Report {
	sc.asm.finish()
	sc.stats.Sessions += sc.asm.ss.closed
	sc.explain.flush()
	var probers []Prober
	camp := sc.camp.result(func() []Prober {
		probers = sc.agg.result()
		return probers
	}, sc.o.LinkWindow)
	tally, err := sc.camp.linkCounts(&sc.agg.keys, sc.o.LinkWindow, sc.agg.isSampled, sc.o.Zone)
	if err != nil {
		sc.stats.Warnings = append(sc.stats.Warnings, "linked probe counts are short: "+err.Error())
	}
	for i := range probers {
		probers[i].LinkedProbes = tally.perHost[probers[i].IP]
		camp.LinkedProbes += probers[i].LinkedProbes
	}
	for i := range camp.ForgedSenders {
		camp.ForgedSenders[i].LinkedProbes = tally.perAddr[camp.ForgedSenders[i].Address]
	}
	camp.OmittedLinks = tally.omitted
	st := sc.stats
	st.Warnings = append(st.Warnings, epochWarnings(probers)...)
	st.NotAccused = sc.notAccused
	suspects, omitted := sc.agg.suspectResult()
	st.SuspectsOmitted = omitted
	st.Files = sc.files
	if st.Files == nil {
		st.Files = []FileStats{}
	}
	rep := &Report{
		Domains:  sortedKeys(sc.domains),
		Span:     sc.span,
		Probers:  probers,
		Suspects: suspects,
		Campaign: camp,
		Stats:    st,
	}
	if !sc.o.Since.IsZero() {
		t := sc.o.Since.In(sc.o.Zone)
		rep.Since = &t
	}
	if !sc.o.Until.IsZero() {
		t := sc.o.Until.In(sc.o.Zone)
		rep.Until = &t
	}
	return rep
}

// peekTime resolves the stamp of a line dropped on a worker, for the
// span only, without moving the year guess (so that where the read
// buffers end changes no year and no warning). An RFC 3164 stamp takes
// the year that puts it nearest to where the guess stands, and never
// after the reference (the file's mtime).
func peekTime(st rawStamp, loc *time.Location, g *yearGuess) time.Time {
	if st.style != stampRFC3164 || !g.started {
		cp := *g
		cp.warnings = nil
		return st.resolve(loc, &cp)
	}
	at := time.Date(g.year, g.lastMonth, 15, 0, 0, 0, 0, loc)
	limit := g.ref.AddDate(0, 0, 2)
	var best time.Time
	for _, y := range []int{g.year - 1, g.year, g.year + 1} {
		st.year = int32(y)
		st.style = stampISO
		t := st.resolve(loc, g)
		if t.After(limit) {
			continue
		}
		if best.IsZero() || t.Sub(at).Abs() < best.Sub(at).Abs() {
			best = t
		}
	}
	return best
}

// epochWarnings cross-checks the year of the log's stamps against the
// epochs in Exim random local parts (the prober's clock at the probe): a
// probe logged months away from its epoch dates the log in the wrong
// year, or comes from a prober with a broken clock. One warning per
// prober, from its sampled probes.
func epochWarnings(probers []Prober) []string {
	var out []string
	for _, p := range probers {
		for _, e := range p.Events {
			if e.SkewSec != nil && math.Abs(*e.SkewSec) > 60*24*3600 {
				out = append(out, fmt.Sprintf("probe from %s logged at %s carries the epoch %s (%.0f days apart): check the year of the log's stamps",
					p.IP, e.Time.Format(time.RFC3339), e.Epoch.Format(time.RFC3339), *e.SkewSec/86400))
				break
			}
		}
	}
	return out
}
