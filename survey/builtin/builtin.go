// Package builtin holds the surveys Canvass installs, open, on first start:
// the metropolitan libraries landscape survey and the impact measurement
// methods survey, each in English, French and Spanish.
package builtin

import (
	"embed"
	"fmt"

	"github.com/metlib/canvass/survey"
)

//go:embed *.yaml
var files embed.FS

// Names lists the built-in definition files, in installation order.
var Names = []string{"landscape.yaml", "impact-methods.yaml"}

// Surveys parses and validates the built-in surveys.
func Surveys() ([]*survey.Survey, error) {
	out := make([]*survey.Survey, 0, len(Names))
	for _, name := range Names {
		data, err := files.ReadFile(name)
		if err != nil {
			return nil, err
		}
		s, err := survey.ParseDefinition(data, "yaml")
		if err != nil {
			return nil, fmt.Errorf("built-in survey %s: %w", name, err)
		}
		out = append(out, s)
	}
	return out, nil
}

// Source returns the YAML text of a built-in survey by file name.
func Source(name string) ([]byte, error) { return files.ReadFile(name) }
