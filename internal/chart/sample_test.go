package chart

import (
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

var samples = flag.String("chart.samples", "", "write the test charts as PNG into this directory, to look at them")

// TestWriteSamples writes the charts of the layout tests for a human to
// look at (chart-weekly.png, chart-strength.png and more):
//
//	go test ./internal/chart/ -run WriteSamples -chart.samples=/tmp
func TestWriteSamples(t *testing.T) {
	if *samples == "" {
		t.Skip("no -chart.samples directory")
	}
	for _, tc := range layoutCases(t) {
		png, err := tc.png()
		if err != nil {
			t.Fatal(err)
		}
		name := "chart-" + strings.ReplaceAll(tc.name, " ", "-") + ".png"
		if err := os.WriteFile(filepath.Join(*samples, name), png, 0o644); err != nil {
			t.Fatal(err)
		}
	}
}
