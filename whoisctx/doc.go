// Package whoisctx is under construction.
package whoisctx
