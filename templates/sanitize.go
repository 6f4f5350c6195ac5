package templates

import (
	"reflect"
	"time"

	"github.com/dnsblaudit/dnsblaudit/internal/textsafe"
)

// Sanitized returns a deep copy of d in which every string is safe for a
// mail body: one line, no control characters (textsafe.Line). Contacts'
// registry answers (Raw) keep their line breaks (textsafe.Text).
//
// It walks the value by reflection rather than field by field so that a
// field added later to evidence or whoisctx types is covered without anyone
// remembering to add it here.
func (d Data) Sanitized() Data {
	out := cleanValue(reflect.ValueOf(d)).Interface().(Data)
	for i := range out.Recipients {
		out.Recipients[i].Raw = textsafe.Text(d.Recipients[i].Raw)
	}
	return out
}

var locationType = reflect.TypeOf((*time.Location)(nil))

// cleanValue returns a copy of v with every reachable string cleaned.
// Unexported fields (time.Time's, or a domain type's bookkeeping) are copied
// as they are: only exported fields can reach a template.
func cleanValue(v reflect.Value) reflect.Value {
	switch v.Kind() {
	case reflect.String:
		return reflect.ValueOf(textsafe.Line(v.String())).Convert(v.Type())
	case reflect.Slice:
		return cleanSlice(v)
	case reflect.Pointer:
		if v.IsNil() || v.Type() == locationType {
			return v
		}
		p := reflect.New(v.Type().Elem())
		p.Elem().Set(cleanValue(v.Elem()))
		return p
	case reflect.Struct:
		return cleanStruct(v)
	case reflect.Map:
		return cleanMap(v)
	default:
		return v
	}
}

func cleanSlice(v reflect.Value) reflect.Value {
	if v.IsNil() {
		return v
	}
	s := reflect.MakeSlice(v.Type(), v.Len(), v.Len())
	for i := range v.Len() {
		s.Index(i).Set(cleanValue(v.Index(i)))
	}
	return s
}

func cleanStruct(v reflect.Value) reflect.Value {
	s := reflect.New(v.Type()).Elem()
	s.Set(v) // keeps unexported fields; exported ones are replaced below
	t := v.Type()
	for i := range t.NumField() {
		if t.Field(i).IsExported() {
			s.Field(i).Set(cleanValue(v.Field(i)))
		}
	}
	return s
}

func cleanMap(v reflect.Value) reflect.Value {
	if v.IsNil() {
		return v
	}
	m := reflect.MakeMapWithSize(v.Type(), v.Len())
	iter := v.MapRange()
	for iter.Next() {
		m.SetMapIndex(cleanValue(iter.Key()), cleanValue(iter.Value()))
	}
	return m
}
