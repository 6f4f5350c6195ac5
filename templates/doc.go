// Package templates is under construction.
package templates
