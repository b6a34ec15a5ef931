package chart

import (
	"flag"
	"os"
	"path/filepath"
	"testing"
)

var samples = flag.String("chart.samples", "", "write sample charts as PNG into this directory, to look at them")

// TestWriteSamples writes example charts for a human to look at:
//
//	go test ./internal/chart/ -run WriteSamples -chart.samples=/tmp
func TestWriteSamples(t *testing.T) {
	if *samples == "" {
		t.Skip("no -chart.samples directory")
	}
	for name, render := range map[string]func() ([]byte, error){
		"chart-weekly.png":   func() ([]byte, error) { return Weekly(sampleWeekly()) },
		"chart-strength.png": func() ([]byte, error) { return Strength(sampleStrength()) },
		"chart-weekly-few.png": func() ([]byte, error) {
			return Weekly("Answers per week", []string{"17 Nov", "24 Nov"}, []Series{{"answers", []float64{3, 7}}})
		},
		"chart-weekly-empty.png":   func() ([]byte, error) { return Weekly("Answers per week", nil, nil) },
		"chart-strength-empty.png": func() ([]byte, error) { return Strength("Strong answers by topic", nil, nil) },
	} {
		png, err := render()
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(*samples, name), png, 0o644); err != nil {
			t.Fatal(err)
		}
	}
}
