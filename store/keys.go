package store

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"strconv"
	"strings"
)

var be = binary.BigEndian

// appendFill is the page fill for buckets whose keys mostly arrive in
// ascending order (replies by ts within a thread, events by time): bbolt's
// default of 0.5 would leave every page half empty, doubling the file and
// the mapped memory it takes.
const appendFill = 0.9

func u64(v uint64) []byte {
	b := make([]byte, 8)
	be.PutUint64(b, v)
	return b
}

// key joins parts with a 0x00 byte, which never occurs in Slack IDs.
func key(parts ...[]byte) []byte {
	return bytes.Join(parts, []byte{0})
}

// tsBytes encodes a Slack message timestamp ("1700000000.000100") as 8
// big-endian bytes of microseconds, so keys sort in time order whatever the
// number of digits.
func tsBytes(ts string) ([]byte, error) {
	us, err := parseTS(ts)
	if err != nil {
		return nil, err
	}
	return u64(us), nil
}

func parseTS(ts string) (uint64, error) {
	sec, frac, _ := strings.Cut(ts, ".")
	s, err := strconv.ParseUint(sec, 10, 40)
	if err != nil || len(frac) > 6 {
		return 0, fmt.Errorf("bad Slack timestamp %q", ts)
	}
	var f uint64
	if frac != "" {
		f, err = strconv.ParseUint(frac+strings.Repeat("0", 6-len(frac)), 10, 32)
		if err != nil {
			return 0, fmt.Errorf("bad Slack timestamp %q", ts)
		}
	}
	return s*1_000_000 + f, nil
}

func formatTS(us uint64) string {
	return fmt.Sprintf("%d.%06d", us/1_000_000, us%1_000_000)
}
