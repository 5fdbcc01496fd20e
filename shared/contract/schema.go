package contract

import (
	"fmt"
	"reflect"
	"strings"
	"time"

	"github.com/getkin/kin-openapi/openapi3"
)

// schemas turns the Go types of request and response bodies into JSON
// Schema 2020-12 (OpenAPI 3.1) components, the way encoding/json writes and
// reads them: a struct is a closed object (additionalProperties: false, so
// a field the document does not describe fails validation); in an answer a
// field without omitempty or omitzero is required; time.Time is a
// date-time string; a pointer may be null; a named struct is a component
// under the name names gives it.
//
// kin-openapi's openapi3gen does the reflection too, but writes OpenAPI 3.0
// shapes (nullable) and derives nothing from omitempty; this is the small
// part of it Roster needs, in 3.1 form.
type schemas struct {
	components openapi3.Schemas
	names      map[reflect.Type]component
	// inputs marks the components that describe request bodies: their
	// fields are optional unless an operation lists them as required.
	inputs map[string]bool
}

var timeType = reflect.TypeFor[time.Time]()

// component names a Go type's schema; Required lists the fields a request
// body must have (an answer's required fields come from its json tags).
type component struct {
	Name     string
	Required []string
	// InputName names the type's schema where a request body holds it,
	// for a type that answers hold too.
	InputName string
}

func newSchemas(names map[reflect.Type]component) *schemas {
	return &schemas{components: openapi3.Schemas{}, names: names, inputs: map[string]bool{}}
}

// ref returns a $ref to the component of v's type, adding it (and the
// components it uses) on first use. input says the type is a request body.
func (s *schemas) ref(v any, input bool) (*openapi3.SchemaRef, error) {
	t := reflect.TypeOf(v)
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	return s.of(t, input)
}

func (s *schemas) of(t reflect.Type, input bool) (*openapi3.SchemaRef, error) {
	switch t.Kind() {
	case reflect.Pointer:
		inner, err := s.of(t.Elem(), input)
		if err != nil {
			return nil, err
		}
		return nullable(inner), nil
	case reflect.Bool:
		return inline(openapi3.TypeBoolean), nil
	case reflect.Int, reflect.Int32, reflect.Int64:
		return inline(openapi3.TypeInteger), nil
	case reflect.Float64:
		return inline(openapi3.TypeNumber), nil
	case reflect.String:
		sc := openapi3.NewStringSchema()
		for _, v := range stringEnums[t] {
			sc.Enum = append(sc.Enum, v)
		}
		return sc.NewRef(), nil
	case reflect.Interface:
		// any: whatever JSON the value holds (the before and after of a
		// history event, the current state of a stale-version conflict).
		return &openapi3.SchemaRef{Value: &openapi3.Schema{}}, nil
	case reflect.Slice:
		items, err := s.of(t.Elem(), input)
		if err != nil {
			return nil, err
		}
		sc := openapi3.NewArraySchema()
		sc.Items = items
		return sc.NewRef(), nil
	case reflect.Map:
		if t.Key().Kind() != reflect.String {
			return nil, fmt.Errorf("contract: map key of %s is not a string", t)
		}
		values, err := s.of(t.Elem(), input)
		if err != nil {
			return nil, err
		}
		sc := openapi3.NewObjectSchema()
		sc.AdditionalProperties = openapi3.AdditionalProperties{Schema: values}
		return sc.NewRef(), nil
	case reflect.Struct:
		if t == timeType {
			sc := openapi3.NewStringSchema()
			sc.Format = "date-time"
			return sc.NewRef(), nil
		}
		return s.component(t, input)
	}
	return nil, fmt.Errorf("contract: no schema for %s", t)
}

// component adds the named struct t under its name and returns a $ref.
func (s *schemas) component(t reflect.Type, input bool) (*openapi3.SchemaRef, error) {
	c, ok := s.names[t]
	name := c.Name
	if input && c.InputName != "" {
		name = c.InputName
	}
	if !ok {
		return nil, fmt.Errorf("contract: %s has no component name: add it to componentNames", t)
	}
	ref := openapi3.NewSchemaRef("#/components/schemas/"+name, nil)
	if _, done := s.components[name]; done {
		if s.inputs[name] != input {
			return nil, fmt.Errorf("contract: %s is both a request and a response body; give each its own type", t)
		}
		return ref, nil
	}
	sc := openapi3.NewObjectSchema()
	sc.AdditionalProperties = openapi3.AdditionalProperties{Has: new(false)}
	s.components[name] = sc.NewRef() // placeholder against recursion
	s.inputs[name] = input
	if err := s.fields(t, sc, input); err != nil {
		return nil, err
	}
	if input {
		for _, f := range c.Required {
			if sc.Properties[f] == nil {
				return nil, fmt.Errorf("contract: %s has no field %q to require", t, f)
			}
		}
		sc.Required = c.Required
	}
	if sc.Properties == nil {
		sc.Properties = openapi3.Schemas{}
	}
	return ref, nil
}

// fields adds t's JSON fields to sc, embedded structs' fields inline.
func (s *schemas) fields(t reflect.Type, sc *openapi3.Schema, input bool) error {
	for i := range t.NumField() {
		f := t.Field(i)
		tag := f.Tag.Get("json")
		if tag == "-" || !f.IsExported() {
			continue
		}
		name, opts, _ := strings.Cut(tag, ",")
		if f.Anonymous && name == "" {
			if err := s.fields(f.Type, sc, input); err != nil {
				return err
			}
			continue
		}
		if name == "" {
			name = f.Name
		}
		prop, err := s.of(f.Type, input)
		if err != nil {
			return fmt.Errorf("%s.%s: %w", t, f.Name, err)
		}
		if input && f.Type.Kind() != reflect.Pointer && f.Type.Kind() != reflect.Interface {
			// encoding/json also takes null for a value field, leaving it
			// as it is: a client may send it.
			prop = nullable(prop)
		}
		sc.WithPropertyRef(name, prop)
		omit := strings.Contains(","+opts+",", ",omitempty,") || strings.Contains(","+opts+",", ",omitzero,")
		if !input && !omit {
			sc.Required = append(sc.Required, name)
		}
	}
	return nil
}

func inline(typ string) *openapi3.SchemaRef {
	return &openapi3.SchemaRef{Value: &openapi3.Schema{Type: &openapi3.Types{typ}}}
}

// nullable returns r that also takes null: a type array for an inline
// schema, a oneOf for a $ref.
func nullable(r *openapi3.SchemaRef) *openapi3.SchemaRef {
	if r.Ref != "" {
		return &openapi3.SchemaRef{Value: &openapi3.Schema{OneOf: openapi3.SchemaRefs{r, inline(openapi3.TypeNull)}}}
	}
	v := *r.Value
	types := append(openapi3.Types{}, v.Type.Slice()...)
	if len(types) == 0 || types.Includes(openapi3.TypeNull) {
		return r
	}
	v.Type = &openapi3.Types{}
	*v.Type = append(types, openapi3.TypeNull)
	return &openapi3.SchemaRef{Value: &v}
}
