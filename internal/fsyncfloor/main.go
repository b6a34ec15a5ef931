// Command fsyncfloor measures the disk's floor under a durable commit: how
// long an overwrite plus fdatasync takes, and the pattern of one bbolt
// commit of a thread reply (three scattered pages, flush, the meta page,
// flush). Run it on the filesystem that holds the database:
//
//	go run ./internal/fsyncfloor -dir /data
//
// The file it writes (4 MiB) is removed afterwards.
package main

import (
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"syscall"
	"time"
)

const (
	pageSize = 4096
	pages    = 1000
)

func main() {
	dir := flag.String("dir", os.TempDir(), "directory on the disk to measure")
	n := flag.Int("n", 2000, "commits per pattern (at most 100000)")
	flag.Parse()
	if err := run(*dir, *n); err != nil {
		fmt.Fprintln(os.Stderr, "fsyncfloor:", err)
		os.Exit(1)
	}
}

func run(dir string, n int) error {
	if n < 10 || n > 100000 {
		return errors.New("-n must be 10..100000")
	}
	f, err := os.CreateTemp(dir, "fsyncfloor-*")
	if err != nil {
		return err
	}
	defer os.Remove(f.Name())
	defer f.Close()
	page := make([]byte, pageSize)
	// Write every page once, so later writes overwrite allocated blocks as
	// bbolt's reused pages do.
	for i := range pages {
		if _, err := f.WriteAt(page, int64(i)*pageSize); err != nil {
			return err
		}
	}
	if err := f.Sync(); err != nil {
		return err
	}
	fd := int(f.Fd())
	commit := func(i, dataPages int, twoPhase bool) error {
		for p := range dataPages {
			if _, err := f.WriteAt(page, int64(10+(i*7+p*97)%(pages-20))*pageSize); err != nil {
				return err
			}
		}
		if err := syscall.Fdatasync(fd); err != nil {
			return err
		}
		if !twoPhase {
			return nil
		}
		if _, err := f.WriteAt(page, 0); err != nil {
			return err
		}
		return syscall.Fdatasync(fd)
	}
	fmt.Printf("%s (%s), %d commits each\n", filepath.Dir(f.Name()), time.Now().Format(time.DateOnly), n)
	for _, p := range []struct {
		name      string
		dataPages int
		twoPhase  bool
	}{
		{"1 page, 1 flush (one fdatasync)", 1, false},
		{"3 pages, 1 flush", 3, false},
		{"3 pages, flush, meta page, flush (a bbolt commit)", 3, true},
	} {
		lat := make([]time.Duration, 0, n)
		for i := range n {
			start := time.Now()
			if err := commit(i, p.dataPages, p.twoPhase); err != nil {
				return err
			}
			lat = append(lat, time.Since(start))
		}
		slices.Sort(lat)
		q := func(x float64) time.Duration {
			return lat[min(len(lat)-1, int(float64(len(lat))*x))].Round(time.Microsecond)
		}
		fmt.Printf("  %-52s p50 %v  p90 %v  p99 %v\n", p.name, q(0.5), q(0.9), q(0.99))
	}
	return nil
}
