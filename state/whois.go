package state

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/netip"
	"strings"
	"time"
)

// whoisMigrations create the WHOIS/RDAP contact cache tables. IDs 100-199
// belong to this file.
//
// The cache keeps registry answers by covering prefix, so that a thousand
// probers in one provider's network cost one registry query across runs
// (RIPE denies a host for a day after too many personal-data records).
// Values are whoisctx's JSON, opaque here; this package does not import
// whoisctx.
var whoisMigrations = []migration{
	{ID: 100, Name: "whois contact cache", SQL: `
CREATE TABLE whois_prefix_cache (
	prefix  TEXT PRIMARY KEY,  -- canonical masked CIDR, e.g. 62.239.237.0/24
	bits    INTEGER NOT NULL,  -- prefix length, for longest-match ordering
	value   BLOB NOT NULL,
	stored  TEXT NOT NULL,
	expires TEXT NOT NULL
);
CREATE INDEX whois_prefix_cache_expires ON whois_prefix_cache (expires);
CREATE TABLE whois_domain_cache (
	domain  TEXT PRIMARY KEY,  -- registrable domain, lower case
	value   BLOB NOT NULL,
	stored  TEXT NOT NULL,
	expires TEXT NOT NULL
);
CREATE INDEX whois_domain_cache_expires ON whois_domain_cache (expires);`},
}

// WhoisCache is the SQLite implementation of whoisctx.Cache.
type WhoisCache struct{ db *DB }

// WhoisCache returns the contact cache stored in db.
func (db *DB) WhoisCache() *WhoisCache { return &WhoisCache{db: db} }

// GetPrefix returns the unexpired entry with the longest prefix that
// contains addr: one query over the candidate prefixes (33 for IPv4, 129
// for IPv6), all of them primary-key lookups.
func (c *WhoisCache) GetPrefix(ctx context.Context, addr netip.Addr, now time.Time) (netip.Prefix, []byte, bool, error) {
	addr = addr.Unmap()
	args := []any{formatTime(now)}
	for bits := addr.BitLen(); bits >= 0; bits-- {
		p, err := addr.Prefix(bits)
		if err == nil {
			args = append(args, p.String())
		}
	}
	q := `SELECT prefix, value FROM whois_prefix_cache WHERE expires > ? AND prefix IN (?` +
		strings.Repeat(",?", len(args)-2) + `) ORDER BY bits DESC LIMIT 1`
	var prefix string
	var value []byte
	err := c.db.sql.QueryRowContext(ctx, q, args...).Scan(&prefix, &value)
	if errors.Is(err, sql.ErrNoRows) {
		return netip.Prefix{}, nil, false, nil
	}
	if err != nil {
		return netip.Prefix{}, nil, false, classify(fmt.Errorf("whois cache %s: %w", addr, err))
	}
	p, err := netip.ParsePrefix(prefix)
	if err != nil {
		return netip.Prefix{}, nil, false, fmt.Errorf("whois cache: stored prefix %q: %w", prefix, err)
	}
	return p, value, true, nil
}

// PutPrefix stores value for prefix until expires, replacing any entry.
func (c *WhoisCache) PutPrefix(ctx context.Context, prefix netip.Prefix, value []byte, expires time.Time) error {
	prefix = prefix.Masked()
	return c.db.WriteTx(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `INSERT INTO whois_prefix_cache (prefix, bits, value, stored, expires)
			VALUES (?, ?, ?, ?, ?)
			ON CONFLICT (prefix) DO UPDATE SET value = excluded.value, stored = excluded.stored, expires = excluded.expires`,
			prefix.String(), prefix.Bits(), value, formatTime(c.db.now()), formatTime(expires))
		if err != nil {
			return fmt.Errorf("whois cache %s: %w", prefix, err)
		}
		return nil
	})
}

// GetDomain returns the unexpired entry for domain.
func (c *WhoisCache) GetDomain(ctx context.Context, domain string, now time.Time) ([]byte, bool, error) {
	var value []byte
	err := c.db.sql.QueryRowContext(ctx, `SELECT value FROM whois_domain_cache WHERE domain = ? AND expires > ?`,
		strings.ToLower(domain), formatTime(now)).Scan(&value)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, false, nil
	}
	if err != nil {
		return nil, false, classify(fmt.Errorf("whois cache %s: %w", domain, err))
	}
	return value, true, nil
}

// PutDomain stores value for domain until expires, replacing any entry.
func (c *WhoisCache) PutDomain(ctx context.Context, domain string, value []byte, expires time.Time) error {
	return c.db.WriteTx(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `INSERT INTO whois_domain_cache (domain, value, stored, expires)
			VALUES (?, ?, ?, ?)
			ON CONFLICT (domain) DO UPDATE SET value = excluded.value, stored = excluded.stored, expires = excluded.expires`,
			strings.ToLower(domain), value, formatTime(c.db.now()), formatTime(expires))
		if err != nil {
			return fmt.Errorf("whois cache %s: %w", domain, err)
		}
		return nil
	})
}

// Purge deletes expired entries and returns how many went.
func (c *WhoisCache) Purge(ctx context.Context, now time.Time) (int64, error) {
	var n int64
	err := c.db.WriteTx(ctx, func(tx *sql.Tx) error {
		for _, table := range []string{"whois_prefix_cache", "whois_domain_cache"} {
			r, err := tx.ExecContext(ctx, `DELETE FROM `+table+` WHERE expires <= ?`, formatTime(now))
			if err != nil {
				return fmt.Errorf("purging %s: %w", table, err)
			}
			k, _ := r.RowsAffected()
			n += k
		}
		return nil
	})
	return n, err
}
