package survey

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"reflect"
	"strconv"
	"strings"
	"time"

	"go.yaml.in/yaml/v3"
)

// ParseDefinition decodes a survey definition written in YAML or JSON
// (format "yaml", "json", or "" to detect it) and validates it. Decoding is
// strict: an unknown key or a value of the wrong type is an error naming its
// path, e.g. "sections[1].questions[3].options". All problems are reported at
// once in the returned *Error's Fields. The returned survey is ready to use.
func ParseDefinition(data []byte, format string) (*Survey, error) {
	tree, err := parseTree(data, format)
	if err != nil {
		return nil, err
	}
	var s Survey
	d := &decoder{}
	d.value("", tree, reflect.ValueOf(&s).Elem())
	if len(d.problems) > 0 {
		return nil, &Error{Code: EINVALID, Message: "The survey definition has errors.", Fields: d.problems}
	}
	if s.Version == 0 {
		s.Version = 1
	}
	if len(s.Languages) == 0 && s.DefaultLanguage != "" {
		s.Languages = []string{s.DefaultLanguage}
	}
	if err := s.Validate(); err != nil {
		return nil, err
	}
	return &s, nil
}

func parseTree(data []byte, format string) (any, error) {
	if format == "" {
		format = "yaml" // YAML is a superset of JSON, but JSON errors read better
		if t := bytes.TrimSpace(data); len(t) > 0 && (t[0] == '{' || t[0] == '[') {
			format = "json"
		}
	}
	var tree any
	switch format {
	case "json":
		dec := json.NewDecoder(bytes.NewReader(data))
		dec.UseNumber()
		if err := dec.Decode(&tree); err != nil {
			return nil, &Error{Code: EMALFORMED, Message: "The definition is not valid JSON: " + err.Error(), Err: err}
		}
		if dec.More() {
			return nil, Errorf(EMALFORMED, "The definition has data after the JSON value.")
		}
	case "yaml":
		if err := yaml.Unmarshal(data, &tree); err != nil {
			return nil, &Error{Code: EMALFORMED, Message: "The definition is not valid YAML: " + strings.TrimPrefix(err.Error(), "yaml: "), Err: err}
		}
	default:
		return nil, Errorf(EMALFORMED, "Unknown definition format %q: use yaml or json.", format)
	}
	if _, ok := tree.(map[string]any); !ok {
		return nil, Errorf(EMALFORMED, "The definition must be an object with slug, title and sections.")
	}
	return tree, nil
}

// decoder fills Go values from a generic tree decoded from YAML or JSON,
// recording every unknown key and type mismatch with its path.
type decoder struct {
	problems []FieldError
}

var (
	timeType = reflect.TypeOf(time.Time{})
	codeType = reflect.TypeOf(Code(""))
)

func (d *decoder) fail(path, format string, args ...any) {
	if path == "" {
		path = "(top level)"
	}
	d.problems = append(d.problems, FieldError{Path: path, Message: fmt.Sprintf(format, args...)})
}

func (d *decoder) value(path string, src any, v reflect.Value) {
	if src == nil {
		return // null: leave the zero value; Validate reports what is missing
	}
	switch {
	case v.Type() == timeType:
		d.time(path, src, v)
		return
	case v.Type() == codeType:
		d.code(path, src, v)
		return
	}
	switch v.Kind() {
	case reflect.Pointer:
		elem := reflect.New(v.Type().Elem())
		d.value(path, src, elem.Elem())
		v.Set(elem)
	case reflect.String:
		s, ok := src.(string)
		if !ok {
			d.fail(path, "expected text, got %s", describe(src))
			return
		}
		v.SetString(s)
	case reflect.Bool:
		b, ok := src.(bool)
		if !ok {
			d.fail(path, "expected true or false, got %s", describe(src))
			return
		}
		v.SetBool(b)
	case reflect.Int:
		f, ok := number(src)
		if !ok || f != math.Trunc(f) || math.Abs(f) > 1<<31 {
			d.fail(path, "expected a whole number, got %s", describe(src))
			return
		}
		v.SetInt(int64(f))
	case reflect.Float64:
		f, ok := number(src)
		if !ok || math.IsNaN(f) || math.IsInf(f, 0) {
			d.fail(path, "expected a number, got %s", describe(src))
			return
		}
		v.SetFloat(f)
	case reflect.Slice:
		list, ok := src.([]any)
		if !ok {
			d.fail(path, "expected a list, got %s", describe(src))
			return
		}
		out := reflect.MakeSlice(v.Type(), len(list), len(list))
		for i, item := range list {
			d.value(fmt.Sprintf("%s[%d]", path, i), item, out.Index(i))
		}
		v.Set(out)
	case reflect.Map:
		m, ok := src.(map[string]any)
		if !ok {
			d.fail(path, "expected a map of language codes to text, got %s", describe(src))
			return
		}
		out := reflect.MakeMapWithSize(v.Type(), len(m))
		for k, item := range m {
			elem := reflect.New(v.Type().Elem()).Elem()
			d.value(join(path, k), item, elem)
			out.SetMapIndex(reflect.ValueOf(k).Convert(v.Type().Key()), elem)
		}
		v.Set(out)
	case reflect.Struct:
		m, ok := src.(map[string]any)
		if !ok {
			d.fail(path, "expected an object, got %s", describe(src))
			return
		}
		fields := structFields(v.Type())
		for _, k := range sortedKeys(m) {
			i, ok := fields[k]
			if !ok {
				d.fail(join(path, k), "unknown field %q", k)
				continue
			}
			d.value(join(path, k), m[k], v.Field(i))
		}
	default:
		d.fail(path, "cannot decode into %s", v.Type())
	}
}

func (d *decoder) time(path string, src any, v reflect.Value) {
	switch t := src.(type) {
	case time.Time:
		v.Set(reflect.ValueOf(t))
		return
	case string:
		for _, layout := range []string{time.RFC3339, "2006-01-02"} {
			if parsed, err := time.Parse(layout, t); err == nil {
				v.Set(reflect.ValueOf(parsed))
				return
			}
		}
	}
	d.fail(path, "expected a time like 2026-03-01T00:00:00Z, got %s", describe(src))
}

func (d *decoder) code(path string, src any, v reflect.Value) {
	if s, ok := src.(string); ok {
		v.SetString(s)
		return
	}
	if f, ok := number(src); ok && f == math.Trunc(f) && math.Abs(f) < 1e15 {
		v.SetString(strconv.FormatInt(int64(f), 10))
		return
	}
	d.fail(path, "expected a code (text or a whole number), got %s", describe(src))
}

func number(src any) (float64, bool) {
	switch n := src.(type) {
	case int:
		return float64(n), true
	case int64:
		return float64(n), true
	case uint64:
		return float64(n), true
	case float64:
		return n, true
	case json.Number:
		f, err := n.Float64()
		return f, err == nil
	}
	return 0, false
}

func describe(src any) string {
	switch s := src.(type) {
	case string:
		if len(s) > 40 {
			s = s[:40] + "…"
		}
		return fmt.Sprintf("text %q", s)
	case bool:
		return fmt.Sprintf("%t", s)
	case []any:
		return "a list"
	case map[string]any:
		return "an object"
	case map[any]any:
		return "an object with non-text keys"
	}
	if f, ok := number(src); ok {
		return "the number " + strconv.FormatFloat(f, 'g', -1, 64)
	}
	return fmt.Sprintf("%T", src)
}

func join(path, key string) string {
	if path == "" {
		return key
	}
	return path + "." + key
}

func structFields(t reflect.Type) map[string]int {
	fields := make(map[string]int, t.NumField())
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		if !f.IsExported() {
			continue
		}
		name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		if name == "-" {
			continue
		}
		if name == "" {
			name = f.Name
		}
		fields[name] = i
	}
	return fields
}
