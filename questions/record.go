package questions

import (
	"encoding/json"
	"errors"
	"fmt"
)

// Marshal encodes q as the record the store keeps: a JSON object with the
// fields of Question under their snake_case names ("id", "track", "topic",
// "difficulty", "text", "answer", "key_points", "follow_ups", "tags",
// "origin"; the last three omitted when empty). The encoding is opaque to
// the store; fields may be added, and Unmarshal ignores fields it does not
// know, so records written by newer versions still decode.
func Marshal(q Question) ([]byte, error) {
	data, err := json.Marshal(q)
	if err != nil {
		return nil, fmt.Errorf("encode question %s: %w", q.ID, err)
	}
	return data, nil
}

// Unmarshal decodes a record written by Marshal. It does not validate the
// question (NewBank does); it only requires an ID.
func Unmarshal(data []byte) (Question, error) {
	var q Question
	if err := json.Unmarshal(data, &q); err != nil {
		return Question{}, fmt.Errorf("decode question: %w", err)
	}
	if q.ID == "" {
		return Question{}, errors.New("decode question: missing id")
	}
	return q, nil
}
