// Package evidence is under construction.
package evidence
