// Package deploy_test checks the deployment files against the code.
package deploy_test

import (
	"bytes"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"
)

// knownVariables are the settings Canvass reads, taken from its source.
func knownVariables(t *testing.T) map[string]bool {
	t.Helper()
	src, err := os.ReadFile("../cmd/canvass/config.go")
	if err != nil {
		t.Fatal(err)
	}
	vars := map[string]bool{}
	for _, m := range regexp.MustCompile(`"(CANVASS_[A-Z_]+)"`).FindAllStringSubmatch(string(src), -1) {
		vars[m[1]] = true
	}
	if len(vars) < 9 || !vars["CANVASS_MONGODB_URI"] {
		t.Fatalf("found only %v in config.go", vars)
	}
	return vars
}

var setsVariable = regexp.MustCompile(`\b(CANVASS_[A-Z_]+)\b`)

func TestEveryVariableIsOneCanvassReads(t *testing.T) {
	known := knownVariables(t)
	files := []string{"Dockerfile", "compose.yaml", ".env.example", "systemd/canvass.service", "k8s/configmap.yaml", "k8s/secret.example.yaml", "README.md"}
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range setsVariable.FindAllString(string(data), -1) {
			if !known[m] {
				t.Errorf("%s sets %s, which Canvass does not read", f, m)
			}
		}
	}
	// .env.example documents every setting but the URI, which compose sets.
	env, _ := os.ReadFile(".env.example")
	for v := range known {
		if v != "CANVASS_MONGODB_URI" && v != "CANVASS_DATA_DIR" && !bytes.Contains(env, []byte(v+"=")) {
			t.Errorf(".env.example does not document %s", v)
		}
	}
}

func TestYAMLParsesAndPortsAndProbesMatch(t *testing.T) {
	routes, err := os.ReadFile("../survey/web/server.go")
	if err != nil {
		t.Fatal(err)
	}
	for _, path := range []string{"/healthz", "/readyz"} {
		if !bytes.Contains(routes, []byte(`e.GET("`+path+`"`)) {
			t.Fatalf("the server has no %s route", path)
		}
	}
	files, _ := filepath.Glob("k8s/*.yaml")
	files = append(files, "compose.yaml")
	docs := map[string]map[string]any{}
	for _, f := range files {
		data, _ := os.ReadFile(f)
		dec := yaml.NewDecoder(bytes.NewReader(data))
		for {
			var doc map[string]any
			if err := dec.Decode(&doc); err != nil {
				if err.Error() == "EOF" {
					break
				}
				t.Fatalf("%s: %v", f, err)
			}
			if kind, ok := doc["kind"].(string); ok {
				docs[kind] = doc
			}
			docs[f] = doc
		}
	}
	kinds := []string{}
	for k := range docs {
		if !strings.Contains(k, ".") {
			kinds = append(kinds, k)
		}
	}
	sort.Strings(kinds)
	if got := strings.Join(kinds, ","); got != "ConfigMap,Deployment,HorizontalPodAutoscaler,Ingress,Kustomization,Namespace,PodDisruptionBudget,Secret,Service" {
		t.Errorf("manifests: %s", got)
	}

	dep := docs["Deployment"]
	spec := dig(t, dep, "spec").(map[string]any)
	if spec["replicas"] != 2 {
		t.Errorf("replicas %v", spec["replicas"])
	}
	pod := dig(t, dep, "spec", "template", "spec").(map[string]any)
	psc := pod["securityContext"].(map[string]any)
	if psc["runAsNonRoot"] != true || dig(t, psc, "seccompProfile", "type") != "RuntimeDefault" {
		t.Errorf("pod security context %v", psc)
	}
	c := pod["containers"].([]any)[0].(map[string]any)
	sc := c["securityContext"].(map[string]any)
	if sc["readOnlyRootFilesystem"] != true || sc["allowPrivilegeEscalation"] != false || dig(t, sc, "capabilities", "drop").([]any)[0] != "ALL" {
		t.Errorf("container security context %v", sc)
	}
	if dig(t, c, "readinessProbe", "httpGet", "path") != "/readyz" || dig(t, c, "livenessProbe", "httpGet", "path") != "/healthz" {
		t.Error("probes do not use /readyz and /healthz")
	}
	if dig(t, c, "ports").([]any)[0].(map[string]any)["containerPort"] != 8080 || docs["ConfigMap"]["data"].(map[string]any)["CANVASS_ADDR"] != ":8080" {
		t.Error("container port and CANVASS_ADDR disagree")
	}
	for _, k := range []string{"requests", "limits"} {
		if dig(t, c, "resources", k) == nil {
			t.Errorf("no resource %s", k)
		}
	}
	if dig(t, docs["PodDisruptionBudget"], "spec", "minAvailable") != 1 || dig(t, docs["HorizontalPodAutoscaler"], "spec", "minReplicas") != 2 {
		t.Error("PDB or HPA do not keep two replicas")
	}
	if dig(t, docs["Ingress"], "spec", "tls") == nil {
		t.Error("the ingress example has no TLS")
	}

	compose := docs["compose.yaml"]
	services := compose["services"].(map[string]any)
	mongo := services["mongo"].(map[string]any)
	if _, published := mongo["ports"]; published {
		t.Error("compose publishes the database's port")
	}
	if !strings.Contains(strings.Join(toStrings(mongo["command"]), " "), "--replSet") || !strings.Contains(strings.Join(toStrings(dig(t, mongo, "healthcheck", "test")), " "), "rs.initiate") {
		t.Error("compose's MongoDB is not a replica set initialised on first start")
	}
	app := services["canvass"].(map[string]any)
	if !strings.Contains(dig(t, app, "environment", "CANVASS_MONGODB_URI").(string), "replicaSet=rs0") || app["restart"] != "unless-stopped" || mongo["restart"] != "unless-stopped" {
		t.Error("compose: canvass does not use the replica set, or restart policies missing")
	}
	if len(toStrings(app["ports"])) != 1 || !strings.HasSuffix(toStrings(app["ports"])[0], ":8080") {
		t.Errorf("compose publishes %v", app["ports"])
	}
}

func TestDockerfileAndSystemdUnit(t *testing.T) {
	docker, _ := os.ReadFile("Dockerfile")
	for _, want := range []string{"CGO_ENABLED=0", "FROM gcr.io/distroless/static-debian12:nonroot", "USER 65532:65532", "HEALTHCHECK", "healthcheck\", \"--path\", \"/healthz\"",
		"-X main.version=${VERSION}", "EXPOSE 8080", "AS build"} {
		if !bytes.Contains(docker, []byte(want)) {
			t.Errorf("Dockerfile lacks %q", want)
		}
	}
	unit, _ := os.ReadFile("systemd/canvass.service")
	for _, want := range []string{"User=canvass", "StateDirectory=canvass", "CANVASS_DATA_DIR=/var/lib/canvass", "ProtectSystem=strict", "NoNewPrivileges=yes", "ExecStart=/usr/local/bin/canvass serve", "CapabilityBoundingSet=\n"} {
		if !bytes.Contains(unit, []byte(want)) {
			t.Errorf("systemd unit lacks %q", want)
		}
	}
}

func dig(t *testing.T, v any, path ...string) any {
	t.Helper()
	for _, p := range path {
		m, ok := v.(map[string]any)
		if !ok {
			return nil
		}
		v = m[p]
	}
	return v
}

func toStrings(v any) []string {
	list, _ := v.([]any)
	out := make([]string, len(list))
	for i, x := range list {
		out[i], _ = x.(string)
	}
	return out
}
