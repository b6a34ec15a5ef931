package store_test

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/prepbot/prepbot/store"
)

// tmpfs mounts a small tmpfs for the test (tests run as root, where file
// modes do not stop writes: only a full or read-only filesystem does).
func tmpfs(t *testing.T, size string) string {
	t.Helper()
	dir := t.TempDir()
	if out, err := exec.Command("mount", "-t", "tmpfs", "-o", "size="+size, "tmpfs", dir).CombinedOutput(); err != nil {
		t.Skipf("cannot mount a tmpfs here (needs root): %v %s", err, out)
	}
	t.Cleanup(func() { exec.Command("umount", "-l", dir).Run() })
	return dir
}

func TestFullDiskIsReportedAndLosesNothingCommitted(t *testing.T) {
	dir := tmpfs(t, "1m")
	db, err := store.Open(filepath.Join(dir, "s.db"), store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	ctx := context.Background()
	big := strings.Repeat("x", 2000)
	committed := 0
	var werr error
	for i := range 2000 {
		_, werr = db.SaveReply(ctx, store.Reply{Channel: "C1", ThreadTS: "1700000000.1", TS: fmt.Sprintf("1700000001.%06d", i), User: "U1", Text: big})
		if werr != nil {
			break
		}
		committed++
	}
	if werr == nil {
		t.Fatal("2000 writes of 2 KB fit in a 1 MB tmpfs; the test proves nothing")
	}
	if !strings.Contains(werr.Error(), "no space left on device") {
		t.Errorf("write on a full disk = %v; want it to say no space left on device", werr)
	}
	// Everything acknowledged before the disk filled is still there.
	if n, err := db.CountReplies(); err != nil || n != committed {
		t.Errorf("CountReplies = %d, %v; want the %d committed", n, err, committed)
	}
	if err := db.Check(); err != nil {
		t.Errorf("database after ENOSPC: %v", err)
	}
}

func TestReadOnlyFilesystemIsReportedClearly(t *testing.T) {
	dir := tmpfs(t, "4m")
	path := filepath.Join(dir, "s.db")
	db, err := store.Open(path, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	db.Close()
	if out, err := exec.Command("mount", "-o", "remount,ro", dir).CombinedOutput(); err != nil {
		t.Fatalf("remount read-only: %v %s", err, out)
	}
	_, err = store.Open(path, store.Options{})
	if err == nil || !strings.Contains(err.Error(), "read-only file system") || !strings.Contains(err.Error(), path) {
		t.Errorf("Open on a read-only filesystem = %v; want the path and 'read-only file system'", err)
	}
	// A read-only open (backup, export) still works.
	ro, err := store.Open(path, store.Options{ReadOnly: true})
	if err != nil {
		t.Fatalf("read-only Open on a read-only filesystem: %v", err)
	}
	ro.Close()
	if _, err := os.Stat(path); err != nil {
		t.Fatal(err)
	}
}
