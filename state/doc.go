// Package state is under construction.
package state
