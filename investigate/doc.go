// Package investigate is under construction.
package investigate
