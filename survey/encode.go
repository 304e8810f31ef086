package survey

import (
	"bytes"
	"encoding/json"

	"go.yaml.in/yaml/v3"
)

// DefinitionYAML returns the survey's definition as YAML, with the fields in
// the order of the format (the JSON field order), in block style. The
// publication state (status, dates) is left out: it is not part of a
// definition a person edits.
func DefinitionYAML(s *Survey) ([]byte, error) {
	def := *s
	def.Status, def.OpensAt, def.ClosesAt = "", nil, nil
	js, err := json.Marshal(&def)
	if err != nil {
		return nil, err
	}
	// JSON is YAML: decoding it into a node keeps the key order.
	var node yaml.Node
	if err := yaml.Unmarshal(js, &node); err != nil {
		return nil, err
	}
	blockStyle(&node)
	var buf bytes.Buffer
	enc := yaml.NewEncoder(&buf)
	enc.SetIndent(2)
	if err := enc.Encode(&node); err != nil {
		return nil, err
	}
	return buf.Bytes(), enc.Close()
}

// blockStyle clears the flow style JSON gave every node, and plain-quotes
// strings only where YAML needs it.
func blockStyle(n *yaml.Node) {
	n.Style &^= yaml.FlowStyle | yaml.DoubleQuotedStyle
	for _, c := range n.Content {
		blockStyle(c)
	}
}
