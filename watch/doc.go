// Package watch is under construction.
package watch
