// Package notify is under construction.
package notify
