package main

import (
	"context"
	"errors"
	"time"

	"github.com/dnsblaudit/dnsblaudit/config"
	"github.com/dnsblaudit/dnsblaudit/evidence"
	"github.com/dnsblaudit/dnsblaudit/evidence/outbound"
)

// errNoLogs: investigate without logs could only restate the check.
var errNoLogs = errors.New("no logs to scan: name them with --log FILE or evidence.logs in the configuration")

// scanPart runs evidence.Scan over the window investigate asks for.
type scanPart struct{ opts evidence.ScanOptions }

func (p scanPart) Scan(ctx context.Context, since, until time.Time) (evidence.Report, error) {
	o := p.opts
	o.Since, o.Until = since, until
	rep, err := evidence.Scan(ctx, o)
	if err != nil {
		return evidence.Report{}, err
	}
	return *rep, nil
}

// newScanner reads the logs named on the command line, else those of the
// configuration, looking for the own domains.
func newScanner(cfg *config.Config, logs, domains []string, now func() time.Time) (scanPart, error) {
	o, err := evidence.OptionsFromConfig(cfg.Evidence, domains, cfg.OwnNetworks, logs)
	if err != nil {
		return scanPart{}, err
	}
	if len(o.Inputs) == 0 {
		return scanPart{}, errNoLogs
	}
	o.Now = now
	return scanPart{opts: o}, nil
}

// ScanOutbound reads the same logs, in the same order, for what the MX
// itself sent (investigate.OutboundScanner). Standard input cannot be read
// twice, so "-" is left out of this side.
func (p scanPart) ScanOutbound(ctx context.Context, since, until time.Time) (*outbound.Report, error) {
	files := evidence.InputFiles(p.opts.Inputs)
	own, err := evidence.ParseNetworks(p.opts.OwnNetworks)
	if err != nil {
		return nil, err
	}
	return outbound.Scan(ctx, outbound.Options{Files: files, Zone: p.opts.Zone, YearReference: p.opts.YearReference,
		Since: since, Until: until, OwnNetworks: own})
}
