package store

import (
	"encoding/json"
	"fmt"

	bolt "go.etcd.io/bbolt"
)

// getJSON decodes the value at k in bucket into v; it reports whether the
// key exists.
func getJSON(tx *bolt.Tx, bucket, k []byte, v any) (bool, error) {
	b := tx.Bucket(bucket)
	if b == nil { // a bucket newer than a file opened read-only
		return false, nil
	}
	raw := b.Get(k)
	if raw == nil {
		return false, nil
	}
	if err := json.Unmarshal(raw, v); err != nil {
		return true, fmt.Errorf("decode %s record: %w", bucket, err)
	}
	return true, nil
}

func putJSON(tx *bolt.Tx, bucket, k []byte, v any) error {
	raw, err := json.Marshal(v)
	if err != nil {
		return fmt.Errorf("encode %s record: %w", bucket, err)
	}
	return tx.Bucket(bucket).Put(k, raw)
}

func marshalJSON(v any) ([]byte, error) {
	raw, err := json.Marshal(v)
	if err != nil {
		return nil, fmt.Errorf("encode record: %w", err)
	}
	return raw, nil
}

func jsonUnmarshal(raw []byte, v any) error {
	if err := json.Unmarshal(raw, v); err != nil {
		return fmt.Errorf("decode record: %w", err)
	}
	return nil
}
