// Deployment checks: fly.toml, the Dockerfile and the Slack app manifest
// against each other and against the code. They catch the mistakes that only
// show up in production: a second machine on the bbolt file, a health check
// on the wrong port, a Web API call whose scope the manifest lacks (Slack
// answers missing_scope at run time), an event the code handles but the app
// never subscribes to.
package prepbot_test

import (
	"bufio"
	"bytes"
	"debug/elf"
	"go/ast"
	"go/parser"
	"go/token"
	"go/version"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"regexp"
	"runtime"
	"slices"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/BurntSushi/toml"
	"github.com/slack-go/slack"
	"gopkg.in/yaml.v3"
)

// The tests run in the module root (this file's folder).
const (
	flyFile        = "fly.toml"
	dockerFile     = "Dockerfile"
	dockerIgnore   = ".dockerignore"
	manifestFile   = "manifest.yml"
	botSourceDir   = "bot"
	mainPackage    = "./cmd/prepbot"
	shutdownBudget = 5 * time.Second // prepbot's drain (3 s) + store close + HTTP shutdown (1 s)
)

// ---- fly.toml -------------------------------------------------------------

// flyKeys are the keys flyctl knows (internal/appconfig.Config and the
// section types), so that a misspelt key fails here instead of being
// silently ignored by a deploy.
var flyKeys = map[string][]string{
	"": {"app", "primary_region", "kill_signal", "kill_timeout", "swap_size_mb", "console_command",
		"experimental", "build", "deploy", "env", "processes", "mounts", "http_service", "services",
		"checks", "files", "host_dedication_id", "machine_config", "container", "machine_checks",
		"restart", "vm", "statics", "metrics"},
	"build": {"builder", "args", "buildpacks", "image", "settings", "builtin", "dockerfile", "ignorefile", "build-target"},
	"deploy": {"strategy", "max_unavailable", "wait_timeout", "release_command", "release_command_timeout",
		"release_command_vm", "seed_command"},
	"mounts": {"source", "destination", "initial_size", "snapshot_retention", "auto_extend_size_threshold",
		"auto_extend_size_increment", "auto_extend_size_limit", "processes"},
	"checks": {"type", "port", "interval", "timeout", "grace_period", "method", "path", "protocol",
		"tls_skip_verify", "tls_server_name", "headers", "processes", "kind"},
	"metrics": {"port", "path", "https", "processes"},
	"vm": {"size", "memory", "cpus", "cpu_kind", "memory_mb", "gpus", "gpu_kind", "kernel_args",
		"host_dedication_id", "persist_rootfs", "processes"},
}

func loadFly(t *testing.T) map[string]any {
	t.Helper()
	var raw map[string]any
	if _, err := toml.DecodeFile(flyFile, &raw); err != nil {
		t.Fatalf("parse %s: %v", flyFile, err)
	}
	checkKeys(t, "top level", raw, flyKeys[""])
	return raw
}

func checkKeys(t *testing.T, where string, m map[string]any, known []string) {
	t.Helper()
	for k := range m {
		if !slices.Contains(known, k) {
			t.Errorf("%s: %s has unknown key %q (misspelt? flyctl would ignore it)", flyFile, where, k)
		}
	}
}

// tables returns a section written either as [name] or as [[name]].
func tables(t *testing.T, raw map[string]any, name string) []map[string]any {
	t.Helper()
	switch v := raw[name].(type) {
	case nil:
		return nil
	case map[string]any:
		return []map[string]any{v}
	case []map[string]any:
		return v
	default:
		t.Fatalf("%s: %s is a %T; want a table", flyFile, name, v)
		return nil
	}
}

func table(t *testing.T, raw map[string]any, name string) map[string]any {
	t.Helper()
	ts := tables(t, raw, name)
	if len(ts) != 1 {
		t.Fatalf("%s: %d [%s] sections; want exactly one", flyFile, len(ts), name)
	}
	return ts[0]
}

func str(m map[string]any, k string) string {
	s, _ := m[k].(string)
	return s
}

func integer(m map[string]any, k string) int64 {
	n, _ := m[k].(int64)
	return n
}

// duration reads a fly duration: "10s" or a number of seconds.
func duration(t *testing.T, m map[string]any, k string) time.Duration {
	t.Helper()
	switch v := m[k].(type) {
	case string:
		d, err := time.ParseDuration(v)
		if err != nil {
			t.Errorf("%s: %s = %q is not a duration", flyFile, k, v)
		}
		return d
	case int64:
		return time.Duration(v) * time.Second
	case nil:
		t.Errorf("%s: %s is not set", flyFile, k)
	default:
		t.Errorf("%s: %s is a %T; want a duration such as \"10s\"", flyFile, k, v)
	}
	return 0
}

func portOf(t *testing.T, addr string) int64 {
	t.Helper()
	_, p, err := net.SplitHostPort(addr)
	if err != nil {
		t.Fatalf("PREPBOT_HTTP_ADDR %q: %v", addr, err)
	}
	n, err := strconv.ParseInt(p, 10, 64)
	if err != nil {
		t.Fatalf("PREPBOT_HTTP_ADDR %q: port is not a number", addr)
	}
	return n
}

func TestFlyConfig(t *testing.T) {
	t.Parallel()
	fly := loadFly(t)
	docker := parseDockerfile(t)

	if str(fly, "app") == "" || str(fly, "primary_region") == "" {
		t.Errorf("app and primary_region must be set (placeholders are fine)")
	}

	t.Run("one machine owns the database", func(t *testing.T) {
		// bbolt lets one process open the file; a volume attaches to one
		// machine. Anything that makes a second machine breaks both.
		vms := tables(t, fly, "vm")
		if len(vms) != 1 {
			t.Errorf("%d [[vm]] sections; want exactly one", len(vms))
		}
		for _, vm := range vms {
			checkKeys(t, "[[vm]]", vm, flyKeys["vm"])
			if _, ok := vm["processes"]; ok {
				t.Errorf("[[vm]] names processes; prepbot is one process group")
			}
		}
		if _, ok := fly["processes"]; ok {
			t.Errorf("[processes] defines process groups: each would be another machine on the same database")
		}
		if d, ok := fly["deploy"].(map[string]any); ok {
			checkKeys(t, "[deploy]", d, flyKeys["deploy"])
			if s := str(d, "strategy"); s == "bluegreen" || s == "canary" {
				t.Errorf("[deploy] strategy = %q starts a second machine next to the first; use rolling or immediate", s)
			}
			if _, ok := d["release_command"]; ok {
				t.Errorf("[deploy] release_command runs in another machine without the volume")
			}
		}
	})

	t.Run("volume holds the database", func(t *testing.T) {
		mounts := tables(t, fly, "mounts")
		if len(mounts) != 1 {
			t.Fatalf("%d [mounts] sections; want exactly one", len(mounts))
		}
		m := mounts[0]
		checkKeys(t, "[mounts]", m, flyKeys["mounts"])
		if str(m, "source") == "" {
			t.Errorf("[mounts] source is empty; want the volume name (prepbot_data)")
		}
		if got := str(m, "destination"); got != "/data" {
			t.Errorf("[mounts] destination = %q; want /data (the Dockerfile's VOLUME)", got)
		}
		env := envOf(t, fly)
		db := env["PREPBOT_DB"]
		if !strings.HasPrefix(db, str(m, "destination")+"/") {
			t.Errorf("[env] PREPBOT_DB = %q is not on the volume at %s: the database would vanish at each deploy", db, str(m, "destination"))
		}
		if want := docker.env["PREPBOT_DB"]; db != want {
			t.Errorf("[env] PREPBOT_DB = %q but the Dockerfile's ENV says %q", db, want)
		}
		if !slices.Contains(docker.volumes, str(m, "destination")) {
			t.Errorf("the Dockerfile declares VOLUME %v; want %s", docker.volumes, str(m, "destination"))
		}
	})

	t.Run("env", func(t *testing.T) {
		env := envOf(t, fly)
		if got := env["PREPBOT_LOG_FORMAT"]; got != "json" {
			t.Errorf("[env] PREPBOT_LOG_FORMAT = %q; want json", got)
		}
		for k, v := range env {
			if strings.HasPrefix(k, "SLACK_") && strings.HasSuffix(k, "_TOKEN") {
				t.Errorf("[env] sets %s: tokens are secrets (fly secrets set), never in fly.toml", k)
			}
			for _, p := range []string{"xoxb-", "xoxp-", "xapp-", "xoxe"} {
				if strings.Contains(v, p) {
					t.Errorf("[env] %s looks like it holds a Slack token", k)
				}
			}
		}
	})

	t.Run("no public services", func(t *testing.T) {
		// Socket Mode is outbound only; a service would allocate public IPs
		// and let Fly's proxy auto-stop the machine.
		for _, k := range []string{"http_service", "services", "statics"} {
			if _, ok := fly[k]; ok {
				t.Errorf("fly.toml has [%s]; prepbot needs no inbound traffic (Socket Mode)", k)
			}
		}
	})

	t.Run("health check and metrics on the side door", func(t *testing.T) {
		port := portOf(t, envOf(t, fly)["PREPBOT_HTTP_ADDR"])
		if !slices.Contains(docker.expose, strconv.FormatInt(port, 10)) {
			t.Errorf("PREPBOT_HTTP_ADDR port %d is not EXPOSEd by the Dockerfile (%v)", port, docker.expose)
		}
		checks, ok := fly["checks"].(map[string]any)
		if !ok || len(checks) == 0 {
			t.Fatalf("no [checks.NAME] section: want an http check on /healthz")
		}
		found := false
		for name, v := range checks {
			c, ok := v.(map[string]any)
			if !ok {
				t.Errorf("[checks.%s] is a %T; checks are named tables: [checks.healthz]", name, v)
				continue
			}
			checkKeys(t, "[checks."+name+"]", c, flyKeys["checks"])
			if str(c, "type") != "http" || str(c, "path") != "/healthz" {
				continue
			}
			found = true
			if got := integer(c, "port"); got != port {
				t.Errorf("[checks.%s] port = %d; prepbot serves /healthz on %d (PREPBOT_HTTP_ADDR)", name, got, port)
			}
			interval, timeout := duration(t, c, "interval"), duration(t, c, "timeout")
			if timeout <= 0 || timeout >= interval {
				t.Errorf("[checks.%s] timeout %v must be positive and shorter than interval %v", name, timeout, interval)
			}
			if grace := duration(t, c, "grace_period"); grace < 5*time.Second {
				t.Errorf("[checks.%s] grace_period %v leaves no time to connect to Slack", name, grace)
			}
		}
		if !found {
			t.Errorf("no check with type = \"http\" and path = \"/healthz\"")
		}
		m := table(t, fly, "metrics")
		checkKeys(t, "[metrics]", m, flyKeys["metrics"])
		if str(m, "path") != "/metrics" || integer(m, "port") != port {
			t.Errorf("[metrics] = port %d path %q; want port %d path /metrics", integer(m, "port"), str(m, "path"), port)
		}
	})

	t.Run("shutdown", func(t *testing.T) {
		if got := str(fly, "kill_signal"); got != "SIGTERM" {
			t.Errorf("kill_signal = %q; want SIGTERM (prepbot drains on it)", got)
		}
		if got := str(fly, "kill_signal"); got != docker.stopSignal {
			t.Errorf("kill_signal = %q but the Dockerfile's STOPSIGNAL is %q", got, docker.stopSignal)
		}
		if d := duration(t, fly, "kill_timeout"); d < shutdownBudget {
			t.Errorf("kill_timeout = %v; prepbot may need %v to drain and close the database", d, shutdownBudget)
		}
	})

	t.Run("build", func(t *testing.T) {
		b, _ := fly["build"].(map[string]any)
		checkKeys(t, "[build]", b, flyKeys["build"])
		if got := str(b, "dockerfile"); got != dockerFile {
			t.Errorf("[build] dockerfile = %q; want %q", got, dockerFile)
		}
	})
}

func envOf(t *testing.T, fly map[string]any) map[string]string {
	t.Helper()
	raw, ok := fly["env"].(map[string]any)
	if !ok {
		t.Fatalf("%s has no [env] section", flyFile)
	}
	env := map[string]string{}
	for k, v := range raw {
		s, ok := v.(string)
		if !ok {
			t.Errorf("[env] %s is a %T; environment values are strings", k, v)
		}
		env[k] = s
	}
	return env
}

// ---- Dockerfile -----------------------------------------------------------

type dockerfile struct {
	stages     []string          // FROM images, ARGs expanded
	env        map[string]string // ENV of the final stage
	expose     []string
	volumes    []string
	stopSignal string
	user       string
	entrypoint string
	cmd        string
	runs       []string // RUN instructions of all stages, in order
	copies     []string // COPY instructions, in order
	order      []string // "COPY …"/"RUN …" in order, for layer-order checks
	args       map[string]string
}

// parseDockerfile reads the instructions prepbot's Dockerfile uses. Line
// continuations are joined and comments dropped, as Docker does.
func parseDockerfile(t *testing.T) dockerfile {
	t.Helper()
	raw, err := os.ReadFile(dockerFile)
	if err != nil {
		t.Fatal(err)
	}
	d := dockerfile{env: map[string]string{}, args: map[string]string{}}
	var lines []string
	var cur strings.Builder
	sc := bufio.NewScanner(bytes.NewReader(raw))
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if strings.HasPrefix(line, "#") || (line == "" && cur.Len() == 0) {
			continue
		}
		if strings.HasSuffix(line, "\\") {
			cur.WriteString(strings.TrimSuffix(line, "\\"))
			cur.WriteString(" ")
			continue
		}
		cur.WriteString(line)
		lines = append(lines, cur.String())
		cur.Reset()
	}
	for _, line := range lines {
		instr, rest, _ := strings.Cut(line, " ")
		rest = strings.TrimSpace(rest)
		switch strings.ToUpper(instr) {
		case "ARG":
			if name, def, ok := strings.Cut(rest, "="); ok {
				d.args[name] = def
			}
		case "FROM":
			img := rest
			for _, f := range strings.Fields(rest) {
				if !strings.HasPrefix(f, "--") {
					img = f
					break
				}
			}
			d.stages = append(d.stages, os.Expand(img, func(k string) string { return d.args[k] }))
			d.env, d.expose, d.volumes, d.user = map[string]string{}, nil, nil, ""
		case "ENV":
			k, v, _ := strings.Cut(rest, "=")
			d.env[strings.TrimSpace(k)] = strings.Trim(strings.TrimSpace(v), `"`)
		case "EXPOSE":
			for _, p := range strings.Fields(rest) {
				d.expose = append(d.expose, strings.TrimSuffix(p, "/tcp"))
			}
		case "VOLUME":
			rest = strings.Trim(rest, "[]")
			for _, v := range strings.FieldsFunc(rest, func(r rune) bool { return r == ',' || r == ' ' }) {
				d.volumes = append(d.volumes, strings.Trim(v, `"`))
			}
		case "STOPSIGNAL":
			d.stopSignal = rest
		case "USER":
			d.user = rest
		case "ENTRYPOINT":
			d.entrypoint = rest
		case "CMD":
			d.cmd = rest
		case "RUN":
			d.runs = append(d.runs, rest)
			d.order = append(d.order, "RUN "+rest)
		case "COPY":
			d.copies = append(d.copies, rest)
			d.order = append(d.order, "COPY "+rest)
		}
	}
	return d
}

func goDirective(t *testing.T) string {
	t.Helper()
	raw, err := os.ReadFile("go.mod")
	if err != nil {
		t.Fatal(err)
	}
	m := regexp.MustCompile(`(?m)^go (\S+)`).FindSubmatch(raw)
	if m == nil {
		t.Fatal("go.mod has no go line")
	}
	return string(m[1])
}

// goImageFits reports whether a golang image tag's Go (go1.26, go1.26.9)
// builds a module whose go line is mod: same language version, and a
// release no older than mod's (a bare go1.26 tag floats to the newest).
func goImageFits(image, mod string) bool {
	if !version.IsValid(image) || version.Lang(image) != version.Lang(mod) {
		return false
	}
	return image == version.Lang(image) || version.Compare(image, mod) >= 0
}

func TestGoImageFits(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		image string
		want  bool
	}{{"go1.26.8", true}, {"go1.26.9", true}, {"go1.26", true}, {"go1.26.7", false}, {"go1.25.9", false}, {"go1.27.0", false}, {"golatest", false}} {
		if got := goImageFits(tc.image, "go1.26.8"); got != tc.want {
			t.Errorf("goImageFits(%q, go1.26.8) = %v; want %v", tc.image, got, tc.want)
		}
	}
}

func TestDockerfile(t *testing.T) {
	t.Parallel()
	d := parseDockerfile(t)
	if len(d.stages) < 2 {
		t.Fatalf("Dockerfile has %d stage(s); want a build stage and a runtime stage", len(d.stages))
	}
	build, runtimeImage := d.stages[0], d.stages[len(d.stages)-1]

	goVersion := goDirective(t)
	tag, ok := strings.CutPrefix(build, "golang:")
	if !ok {
		t.Errorf("build stage FROM %s; want the official golang image", build)
	} else if v, _, _ := strings.Cut(tag, "-"); !goImageFits("go"+v, "go"+goVersion) {
		// The image sets GOTOOLCHAIN=local: an older Go refuses go.mod.
		t.Errorf("build stage FROM %s does not match go.mod's go %s", build, goVersion)
	}
	if !strings.HasPrefix(runtimeImage, "gcr.io/distroless/static") {
		t.Errorf("runtime stage FROM %s; want gcr.io/distroless/static (static binary, CA certificates, no shell)", runtimeImage)
	}
	if !strings.HasSuffix(runtimeImage, ":nonroot") && (d.user == "" || d.user == "root" || strings.HasPrefix(d.user, "0")) {
		t.Errorf("the runtime stage runs as root: want a nonroot image or USER")
	}

	for _, tc := range []struct{ what, got, want string }{
		{"ENV PREPBOT_DB", d.env["PREPBOT_DB"], "/data/prepbot.db"},
		{"STOPSIGNAL", d.stopSignal, "SIGTERM"},
		{"ENTRYPOINT", d.entrypoint, `["/prepbot"]`},
		{"CMD", d.cmd, `["run"]`},
	} {
		if tc.got != tc.want {
			t.Errorf("Dockerfile %s = %q; want %q", tc.what, tc.got, tc.want)
		}
	}
	if !slices.Contains(d.expose, "8080") {
		t.Errorf("Dockerfile EXPOSE %v; want 8080", d.expose)
	}
	if !slices.Contains(d.volumes, "/data") {
		t.Errorf("Dockerfile VOLUME %v; want /data", d.volumes)
	}

	// Modules are downloaded in their own layer, before the sources are
	// copied, so a source change does not download them again.
	download, copyAll := -1, -1
	for i, ins := range d.order {
		switch {
		case strings.HasPrefix(ins, "RUN") && strings.Contains(ins, "go mod download") && download < 0:
			download = i
		case strings.HasPrefix(ins, "COPY") && regexp.MustCompile(`^COPY (--\S+ )*\. `).MatchString(ins) && copyAll < 0:
			copyAll = i
		}
	}
	if download < 0 || copyAll < 0 || download > copyAll {
		t.Errorf("want `RUN go mod download` (after COPY go.mod go.sum) before `COPY . .`; got %q", d.order)
	}

	t.Run(".dockerignore", func(t *testing.T) {
		raw, err := os.ReadFile(dockerIgnore)
		if err != nil {
			t.Fatal(err)
		}
		var patterns []string
		for _, l := range strings.Split(string(raw), "\n") {
			if l = strings.TrimSpace(l); l != "" && !strings.HasPrefix(l, "#") {
				patterns = append(patterns, strings.TrimPrefix(l, "/"))
			}
		}
		for _, must := range []string{".git", "**/*.db"} {
			if !slices.Contains(patterns, must) {
				t.Errorf(".dockerignore lacks %q: it would send it into the build context", must)
			}
		}
		for _, need := range []string{"go.mod", "go.sum", "cmd", "bot", "store", "questions", "internal"} {
			for _, p := range patterns {
				if ok, _ := filepath.Match(p, need); ok {
					t.Errorf(".dockerignore pattern %q excludes %s, which the build needs", p, need)
				}
			}
		}
	})
}

// TestDockerBuildCommand runs the Dockerfile's own `go build` line (what the
// image build runs, minus Docker) and checks the binary: it runs, reports
// the version it was stamped with, is static, and carries zone data.
func TestDockerBuildCommand(t *testing.T) {
	t.Parallel()
	if testing.Short() {
		t.Skip("builds the binary")
	}
	d := parseDockerfile(t)
	var line string
	for _, r := range d.runs {
		if strings.Contains(r, "go build") {
			line = r
		}
	}
	if line == "" {
		t.Fatal("no RUN with go build in the Dockerfile")
	}
	const stamp = "deploytest"
	vars := map[string]string{"VERSION": stamp, "TARGETOS": runtime.GOOS, "TARGETARCH": runtime.GOARCH}
	words, err := shellWords(line, vars)
	if err != nil {
		t.Fatalf("Dockerfile go build line %q: %v", line, err)
	}
	env, args := goBuildCommand(words)
	if args == nil {
		t.Fatalf("no `go build` command in %q", line)
	}
	if !slices.Contains(env, "CGO_ENABLED=0") {
		t.Errorf("go build runs without CGO_ENABLED=0: the binary would need libc, which distroless/static lacks")
	}
	if !slices.Contains(args, "-trimpath") {
		t.Errorf("go build without -trimpath")
	}
	if i := slices.Index(args, "-ldflags"); i < 0 || i+1 >= len(args) ||
		!slices.Contains(strings.Fields(args[i+1]), "-s") || !slices.Contains(strings.Fields(args[i+1]), "-w") ||
		!strings.Contains(args[i+1], "-X main.version="+stamp) {
		t.Errorf("go build -ldflags must hold -s -w -X main.version=${VERSION}; args %q", args)
	}
	if args[len(args)-1] != mainPackage {
		t.Errorf("go build builds %q; want %s", args[len(args)-1], mainPackage)
	}
	bin := filepath.Join(t.TempDir(), "prepbot")
	i := slices.Index(args, "-o")
	if i < 0 || i+1 >= len(args) {
		t.Fatalf("go build has no -o: %q", args)
	}
	args[i+1] = bin
	// The image builds without .git (.dockerignore), so without VCS
	// stamping; here too. It also lets the go command reuse a cached link
	// when only the checkout's git state changed.
	args = slices.Insert(args, 1, "-buildvcs=false")

	cmd := exec.Command("go", args...)
	cmd.Env = append(os.Environ(), env...)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("%s %s: %v\n%s", strings.Join(env, " "), strings.Join(cmd.Args, " "), err, out)
	}
	out, err := exec.Command(bin, "version").CombinedOutput()
	if err != nil {
		t.Fatalf("prepbot version: %v\n%s", err, out)
	}
	if !strings.HasPrefix(string(out), "prepbot "+stamp) {
		t.Errorf("prepbot version = %q; want it to start with %q (-X main.version)", out, "prepbot "+stamp)
	}

	if runtime.GOOS == "linux" {
		f, err := elf.Open(bin)
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		libs, _ := f.ImportedLibraries()
		if f.Section(".interp") != nil || len(libs) > 0 {
			t.Errorf("the binary is dynamically linked (%v); distroless/static has no libc", libs)
		}
	}

	deps, err := exec.Command("go", "list", "-deps", mainPackage).Output()
	if err != nil {
		t.Fatalf("go list -deps: %v", err)
	}
	if !slices.Contains(strings.Fields(string(deps)), "time/tzdata") {
		t.Errorf("%s does not import time/tzdata: schedules would depend on the image's zone files", mainPackage)
	}
}

// goBuildCommand finds `[VAR=value ...] go build ARGS` among shell words
// (commands joined by && or ;) and returns the assignments and the
// arguments after `go`.
func goBuildCommand(words []string) (env, args []string) {
	var cmds [][]string
	start := 0
	for i, w := range words {
		if w == "&&" || w == ";" {
			cmds = append(cmds, words[start:i])
			start = i + 1
		}
	}
	cmds = append(cmds, words[start:])
	for _, c := range cmds {
		// RUN options such as --mount=… come first.
		for len(c) > 0 && strings.HasPrefix(c[0], "--") {
			c = c[1:]
		}
		var assigns []string
		for len(c) > 0 && regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]*=`).MatchString(c[0]) {
			assigns = append(assigns, c[0])
			c = c[1:]
		}
		if len(c) >= 2 && c[0] == "go" && c[1] == "build" {
			return assigns, slices.Clone(c[1:])
		}
	}
	return nil, nil
}

// shellWords splits a POSIX shell command line into words, with quotes and
// ${VAR}/$VAR expansion from vars. It is enough for a Dockerfile RUN line.
func shellWords(s string, vars map[string]string) ([]string, error) {
	var words []string
	var w strings.Builder
	inWord := false
	expand := func(i int) (int, error) { // s[i] == '$'
		name := ""
		j := i + 1
		if j < len(s) && s[j] == '{' {
			end := strings.IndexByte(s[j:], '}')
			if end < 0 {
				return 0, shellError("unclosed ${")
			}
			name, j = s[j+1:j+end], j+end+1
		} else {
			for j < len(s) && (s[j] == '_' || s[j] >= 'A' && s[j] <= 'Z' || s[j] >= 'a' && s[j] <= 'z' || s[j] >= '0' && s[j] <= '9') {
				j++
			}
			name = s[i+1 : j]
		}
		v, ok := vars[name]
		if !ok {
			return 0, shellError("unknown variable $" + name)
		}
		w.WriteString(v)
		return j, nil
	}
	for i := 0; i < len(s); {
		c := s[i]
		switch {
		case c == ' ' || c == '\t':
			if inWord {
				words = append(words, w.String())
				w.Reset()
				inWord = false
			}
			i++
		case c == '\'':
			end := strings.IndexByte(s[i+1:], '\'')
			if end < 0 {
				return nil, shellError("unclosed '")
			}
			w.WriteString(s[i+1 : i+1+end])
			inWord, i = true, i+end+2
		case c == '"':
			inWord = true
			i++
			for {
				if i >= len(s) {
					return nil, shellError(`unclosed "`)
				}
				if s[i] == '"' {
					i++
					break
				}
				if s[i] == '\\' && i+1 < len(s) && strings.IndexByte("\"\\$`", s[i+1]) >= 0 {
					w.WriteByte(s[i+1])
					i += 2
					continue
				}
				if s[i] == '$' {
					var err error
					if i, err = expand(i); err != nil {
						return nil, err
					}
					continue
				}
				w.WriteByte(s[i])
				i++
			}
		case c == '$':
			var err error
			if i, err = expand(i); err != nil {
				return nil, err
			}
			inWord = true
		case c == '\\' && i+1 < len(s):
			w.WriteByte(s[i+1])
			inWord, i = true, i+2
		default:
			w.WriteByte(c)
			inWord, i = true, i+1
		}
	}
	if inWord {
		words = append(words, w.String())
	}
	return words, nil
}

type shellError string

func (e shellError) Error() string { return string(e) }

func TestShellWords(t *testing.T) {
	t.Parallel()
	vars := map[string]string{"V": "1.2", "OS": "linux"}
	for _, tc := range []struct {
		in   string
		want []string
	}{
		{`go build -ldflags "-s -w -X main.version=${V}" ./x`, []string{"go", "build", "-ldflags", "-s -w -X main.version=1.2", "./x"}},
		{`A=0 GOOS=$OS go  build 'a b'`, []string{"A=0", "GOOS=linux", "go", "build", "a b"}},
		{`x && y "q\"q"`, []string{"x", "&&", "y", `q"q`}},
	} {
		got, err := shellWords(tc.in, vars)
		if err != nil || !reflect.DeepEqual(got, tc.want) {
			t.Errorf("shellWords(%q) = %q, %v; want %q", tc.in, got, err, tc.want)
		}
	}
	if _, err := shellWords(`go build ${NOPE}`, vars); err == nil {
		t.Errorf("shellWords with an unknown variable: no error")
	}
}

// ---- manifest.yml ---------------------------------------------------------

type manifest struct {
	Features struct {
		AppHome struct {
			HomeTabEnabled             bool `yaml:"home_tab_enabled"`
			MessagesTabEnabled         bool `yaml:"messages_tab_enabled"`
			MessagesTabReadOnlyEnabled bool `yaml:"messages_tab_read_only_enabled"`
		} `yaml:"app_home"`
		BotUser struct {
			DisplayName string `yaml:"display_name"`
		} `yaml:"bot_user"`
		SlashCommands []struct {
			Command      string `yaml:"command"`
			URL          string `yaml:"url"`
			ShouldEscape bool   `yaml:"should_escape"`
		} `yaml:"slash_commands"`
	} `yaml:"features"`
	OAuthConfig struct {
		Scopes struct {
			Bot  []string `yaml:"bot"`
			User []string `yaml:"user"`
		} `yaml:"scopes"`
	} `yaml:"oauth_config"`
	Settings struct {
		EventSubscriptions struct {
			RequestURL string   `yaml:"request_url"`
			BotEvents  []string `yaml:"bot_events"`
			UserEvents []string `yaml:"user_events"`
		} `yaml:"event_subscriptions"`
		Interactivity struct {
			IsEnabled  bool   `yaml:"is_enabled"`
			RequestURL string `yaml:"request_url"`
		} `yaml:"interactivity"`
		SocketModeEnabled    bool `yaml:"socket_mode_enabled"`
		TokenRotationEnabled bool `yaml:"token_rotation_enabled"`
	} `yaml:"settings"`
}

func loadManifest(t *testing.T) (manifest, *yaml.Node) {
	t.Helper()
	raw, err := os.ReadFile(manifestFile)
	if err != nil {
		t.Fatal(err)
	}
	var m manifest
	if err := yaml.Unmarshal(raw, &m); err != nil {
		t.Fatalf("parse %s: %v", manifestFile, err)
	}
	var doc yaml.Node
	if err := yaml.Unmarshal(raw, &doc); err != nil {
		t.Fatal(err)
	}
	return m, &doc
}

func TestManifest(t *testing.T) {
	t.Parallel()
	m, doc := loadManifest(t)
	s := m.Settings
	if !s.SocketModeEnabled {
		t.Errorf("settings.socket_mode_enabled is not true: prepbot only speaks Socket Mode")
	}
	if s.EventSubscriptions.RequestURL != "" || s.Interactivity.RequestURL != "" {
		t.Errorf("the manifest has request URLs; Socket Mode needs none and prepbot serves none")
	}
	if !s.Interactivity.IsEnabled {
		t.Errorf("settings.interactivity.is_enabled is not true: buttons and modals would never arrive")
	}
	if s.TokenRotationEnabled {
		t.Errorf("token_rotation_enabled: rotated bot tokens expire in 12 h and prepbot does not refresh them")
	}
	a := m.Features.AppHome
	if !a.HomeTabEnabled || !a.MessagesTabEnabled || a.MessagesTabReadOnlyEnabled {
		t.Errorf("app_home = %+v; want the home tab and a writable messages tab (practice happens in the DM)", a)
	}
	var prep bool
	for _, c := range m.Features.SlashCommands {
		if c.Command == "/prep" {
			prep = true
			if c.URL != "" {
				t.Errorf("/prep has a url; in Socket Mode commands arrive over the socket")
			}
			if !c.ShouldEscape {
				t.Errorf("/prep should_escape is false: `admins add @user` needs mentions as <@U…> IDs")
			}
		}
	}
	if !prep {
		t.Errorf("no /prep slash command in the manifest")
	}
	if len(m.OAuthConfig.Scopes.User) > 0 || len(s.EventSubscriptions.UserEvents) > 0 {
		t.Errorf("the manifest asks for user scopes or user events; prepbot acts only as its bot user")
	}

	// Every scope says why it is there (SECURITY.md copies the list).
	scopes := findNode(doc, "oauth_config", "scopes", "bot")
	if scopes == nil || scopes.Kind != yaml.SequenceNode {
		t.Fatalf("oauth_config.scopes.bot is not a list")
	}
	for _, n := range scopes.Content {
		if strings.TrimSpace(strings.TrimPrefix(n.LineComment, "#")) == "" {
			t.Errorf("%s:%d: scope %s has no comment saying why prepbot needs it", manifestFile, n.Line, n.Value)
		}
	}
}

func findNode(n *yaml.Node, path ...string) *yaml.Node {
	if n.Kind == yaml.DocumentNode && len(n.Content) > 0 {
		n = n.Content[0]
	}
	for _, key := range path {
		if n.Kind != yaml.MappingNode {
			return nil
		}
		var next *yaml.Node
		for i := 0; i+1 < len(n.Content); i += 2 {
			if n.Content[i].Value == key {
				next = n.Content[i+1]
			}
		}
		if next == nil {
			return nil
		}
		n = next
	}
	return n
}

// ---- the code against the manifest ----------------------------------------

// webAPI maps slack-go client methods (their Context form) to the Web API
// method they call and the bot scopes it needs. A scope list means all of
// them: cohort channels may be public or private, so conversations.* need
// both the channels: and the groups: scope.
var webAPI = map[string]struct {
	method string
	scopes []string
}{
	"AuthTestContext":      {"auth.test", nil},
	"PostMessageContext":   {"chat.postMessage", []string{"chat:write"}},
	"SendMessageContext":   {"chat.postMessage", []string{"chat:write"}},
	"PostEphemeralContext": {"chat.postEphemeral", []string{"chat:write"}},
	"UpdateMessageContext": {"chat.update", []string{"chat:write"}},
	"DeleteMessageContext": {"chat.delete", []string{"chat:write"}},
	"GetUserInfoContext":   {"users.info", []string{"users:read"}},
	// History is read in cohort channels (question of the day), and in DMs
	// and group DMs (a mock interview's messages, after a restart).
	"GetConversationHistoryContext": {"conversations.history", []string{"channels:history", "groups:history", "im:history", "mpim:history"}},
	"GetConversationRepliesContext": {"conversations.replies", []string{"channels:history", "groups:history"}},
	"GetConversationInfoContext":    {"conversations.info", []string{"channels:read", "groups:read"}},
	// A DM with one person, and a mock-interview group's group DM.
	"OpenConversationContext": {"conversations.open", []string{"im:write", "mpim:write"}},
	// views.* need no scope: the trigger_id (modals) or the app's own Home tab
	// authorises them.
	"PublishViewContext": {"views.publish", nil},
	"OpenViewContext":    {"views.open", nil},
	"UpdateViewContext":  {"views.update", nil},
	"PushViewContext":    {"views.push", nil},
	// UploadFileContext is slack-go's wrapper around the two external-upload
	// calls.
	"GetUploadURLExternalContext":   {"files.getUploadURLExternal", []string{"files:write"}},
	"CompleteUploadExternalContext": {"files.completeUploadExternal", []string{"files:write"}},
	"UploadFileContext":             {"files.getUploadURLExternal+files.completeUploadExternal", []string{"files:write"}},
}

// eventTypes maps the slackevents types the bot handles to the event
// subscriptions that deliver them.
var eventTypes = map[string][]string{
	// Thread replies in public and private cohort channels, answers in the DM.
	"MessageEvent":             {"message.channels", "message.groups", "message.im"},
	"AppHomeOpenedEvent":       {"app_home_opened"},
	"AppMentionEvent":          {"app_mention"},
	"MemberJoinedChannelEvent": {"member_joined_channel"},
	"MemberLeftChannelEvent":   {"member_left_channel"},
	"ChannelArchiveEvent":      {"channel_archive"},
	"ChannelDeletedEvent":      {"channel_deleted"},
	"GroupArchiveEvent":        {"group_archive"},
	"GroupDeletedEvent":        {"group_deleted"},
	"ChannelLeftEvent":         {"channel_left"},
	"GroupLeftEvent":           {"group_left"},
	"AppUninstalledEvent":      {"app_uninstalled"},
	"TokensRevokedEvent":       {"tokens_revoked"},
	"ReactionAddedEvent":       {"reaction_added"},
}

// envelopeTypes are slackevents names that are not events one subscribes to.
var envelopeTypes = []string{"EventsAPIEvent", "EventsAPICallbackEvent", "EventsAPIInnerEvent",
	"EventsAPIURLVerificationEvent", "CallbackEvent", "URLVerificationEvent"}

// eventScopes are the bot scopes each event subscription requires.
var eventScopes = map[string][]string{
	"message.channels":      {"channels:history"},
	"message.groups":        {"groups:history"},
	"message.im":            {"im:history"},
	"message.mpim":          {"mpim:history"},
	"app_home_opened":       nil,
	"app_mention":           {"app_mentions:read"},
	"member_joined_channel": {"channels:read", "groups:read"},
	"member_left_channel":   {"channels:read", "groups:read"},
	"channel_archive":       {"channels:read"},
	"channel_deleted":       {"channels:read"},
	"group_archive":         {"groups:read"},
	"group_deleted":         {"groups:read"},
	"channel_left":          {"channels:read"},
	"group_left":            {"groups:read"},
	"app_uninstalled":       nil,
	"tokens_revoked":        nil,
	"reaction_added":        {"reactions:read"},
}

// plannedScopes may be in the manifest ahead of the code that uses them
// (scope -> the feature that will). Remove an entry once the code calls it.
var plannedScopes = map[string]string{}

// sourceFile is one parsed Go file of bot/.
type sourceFile struct {
	path string
	ast  *ast.File
}

// botSources parses the Go files of bot/ and the packages under it, tests
// excluded: a Web API call or an event moved into a subpackage still counts.
func botSources(t *testing.T) []sourceFile {
	t.Helper()
	var paths []string
	err := filepath.WalkDir(botSourceDir, func(p string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && d.Name() == "testdata" {
			return filepath.SkipDir
		}
		if !d.IsDir() && strings.HasSuffix(p, ".go") && !strings.HasSuffix(p, "_test.go") {
			paths = append(paths, p)
		}
		return nil
	})
	if err != nil || len(paths) == 0 {
		t.Fatalf("no Go files in %s/ (%v)", botSourceDir, err)
	}
	fset := token.NewFileSet()
	var files []sourceFile
	for _, p := range paths {
		f, err := parser.ParseFile(fset, p, nil, parser.SkipObjectResolution)
		if err != nil {
			t.Fatalf("parse %s: %v", p, err)
		}
		files = append(files, sourceFile{p, f})
	}
	return files
}

// slackCalls returns the slack-go Web API methods that bot/ calls or declares
// in an interface (its slackAPI), in Context form, each with one place.
func slackCalls(t *testing.T) map[string]string {
	t.Helper()
	client := reflect.TypeFor[*slack.Client]()
	isAPI := func(name string) (string, bool) {
		if _, ok := client.MethodByName(name); !ok {
			return "", false
		}
		if strings.HasSuffix(name, "Context") {
			return name, true
		}
		if _, ok := client.MethodByName(name + "Context"); ok {
			return name + "Context", true
		}
		return "", false // Debugf and friends
	}
	calls := map[string]string{}
	for _, f := range botSources(t) {
		ast.Inspect(f.ast, func(n ast.Node) bool {
			var name string
			switch n := n.(type) {
			case *ast.SelectorExpr:
				name = n.Sel.Name
			case *ast.InterfaceType:
				for _, m := range n.Methods.List {
					for _, id := range m.Names {
						if c, ok := isAPI(id.Name); ok {
							if _, seen := calls[c]; !seen {
								calls[c] = "interface method " + id.Name + " in " + f.path
							}
						}
					}
				}
				return true
			default:
				return true
			}
			if c, ok := isAPI(name); ok {
				if _, seen := calls[c]; !seen || strings.HasPrefix(calls[c], "interface") {
					calls[c] = name + " in " + f.path
				}
			}
			return true
		})
	}
	return calls
}

// handledEvents returns the slackevents types bot/ refers to.
func handledEvents(t *testing.T) []string {
	t.Helper()
	seen := map[string]bool{}
	for _, f := range botSources(t) {
		ast.Inspect(f.ast, func(n ast.Node) bool {
			if sel, ok := n.(*ast.SelectorExpr); ok {
				if id, ok := sel.X.(*ast.Ident); ok && id.Name == "slackevents" && strings.HasSuffix(sel.Sel.Name, "Event") {
					seen[sel.Sel.Name] = true
				}
			}
			return true
		})
	}
	var out []string
	for name := range seen {
		if !slices.Contains(envelopeTypes, name) {
			out = append(out, name)
		}
	}
	sort.Strings(out)
	return out
}

func TestManifestCoversEvents(t *testing.T) {
	t.Parallel()
	m, _ := loadManifest(t)
	subscribed := m.Settings.EventSubscriptions.BotEvents
	scopes := m.OAuthConfig.Scopes.Bot

	// What the code handles, plus the subscriptions the product needs
	// whatever the code looks like today.
	need := map[string]string{
		"message.channels": "thread replies in public cohort channels",
		"message.groups":   "thread replies in private cohort channels",
		"message.im":       "practice answers in the DM",
		"app_home_opened":  "the App Home",
	}
	types := handledEvents(t)
	if !slices.Contains(types, "MessageEvent") {
		t.Errorf("bot/ no longer refers to slackevents.MessageEvent; thread replies would go unrecorded")
	}
	for _, typ := range types {
		events, ok := eventTypes[typ]
		if !ok {
			t.Errorf("bot/ handles slackevents.%s, which has no entry in eventTypes (deploy_test.go): add its subscription", typ)
			continue
		}
		for _, e := range events {
			need[e] = "bot/ handles slackevents." + typ
		}
	}
	for e, why := range need {
		if !slices.Contains(subscribed, e) {
			t.Errorf("%s does not subscribe to %s (%s): Slack would never send it", manifestFile, e, why)
		}
	}
	for _, e := range subscribed {
		if _, ok := need[e]; !ok {
			t.Errorf("%s subscribes to %s, which no code handles: drop it (least privilege)", manifestFile, e)
		}
		req, known := eventScopes[e]
		if !known {
			t.Errorf("event %s has no entry in eventScopes (deploy_test.go)", e)
		}
		for _, s := range req {
			if !slices.Contains(scopes, s) {
				t.Errorf("event %s needs the %s scope, missing from %s", e, s, manifestFile)
			}
		}
	}
}

func TestManifestCoversWebAPICalls(t *testing.T) {
	t.Parallel()
	m, _ := loadManifest(t)
	scopes := m.OAuthConfig.Scopes.Bot
	client := reflect.TypeFor[*slack.Client]()
	for name := range webAPI {
		if _, ok := client.MethodByName(name); !ok {
			t.Errorf("webAPI names %s, which slack-go's Client no longer has", name)
		}
	}

	calls := slackCalls(t)
	if len(calls) == 0 {
		t.Fatalf("found no slack-go Web API calls in %s/: the scan is broken", botSourceDir)
	}
	justified := map[string]string{}
	names := make([]string, 0, len(calls))
	for c := range calls {
		names = append(names, c)
	}
	sort.Strings(names)
	for _, c := range names {
		api, ok := webAPI[c]
		if !ok {
			t.Errorf("bot/ uses %s (%s), which has no entry in webAPI (deploy_test.go): add its Web API method and scopes", c, calls[c])
			continue
		}
		t.Logf("%-30s %-30s %v", c, api.method, api.scopes)
		for _, s := range api.scopes {
			justified[s] = api.method
			if !slices.Contains(scopes, s) {
				t.Errorf("bot/ calls %s (%s), which needs the %s scope: missing from %s (Slack would answer missing_scope)", api.method, c, s, manifestFile)
			}
		}
	}

	// Least privilege: every scope is needed by a call, an event or the
	// slash command, or is planned for a named feature.
	for _, e := range m.Settings.EventSubscriptions.BotEvents {
		for _, s := range eventScopes[e] {
			justified[s] = "event " + e
		}
	}
	if len(m.Features.SlashCommands) > 0 {
		justified["commands"] = "slash commands"
	}
	for s := range plannedScopes {
		if by, ok := justified[s]; ok {
			t.Errorf("plannedScopes lists %s, which %s now needs: remove the entry", s, by)
		}
	}
	for _, s := range scopes {
		if _, ok := justified[s]; ok {
			continue
		}
		if why, ok := plannedScopes[s]; ok {
			t.Logf("scope %s is planned: %s", s, why)
			continue
		}
		t.Errorf("%s asks for %s, which no call, event or command needs: drop it or add it to plannedScopes with its feature", manifestFile, s)
	}
}
