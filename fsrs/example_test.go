package fsrs_test

import (
	"fmt"
	"time"

	"github.com/prepbot/prepbot/fsrs"
)

func ExampleParams_Review() {
	p := fsrs.DefaultParams()
	loc, err := time.LoadLocation("Europe/Berlin")
	if err != nil {
		panic(err)
	}
	now := time.Date(2025, time.March, 3, 18, 45, 0, 0, loc)

	var card fsrs.Card // a new card
	intervals := p.Preview(card, now, loc)
	fmt.Println("buttons:", intervals[fsrs.Again], intervals[fsrs.Hard], intervals[fsrs.Good], intervals[fsrs.Easy])

	rating, err := fsrs.ParseRating("good")
	if err != nil {
		panic(err)
	}
	card, log := p.Review(card, rating, now, loc)
	fmt.Printf("%v: due in %d days, %v\n", log.Rating, log.Interval, card.Due.Format(time.DateTime))
	fmt.Printf("stability %.4f, difficulty %.4f\n", card.Stability, card.Difficulty)

	// Two days later, on the due date.
	card, log = p.Review(card, fsrs.Good, card.Due.Add(9*time.Hour), loc)
	fmt.Printf("%v after %d days: due in %d days\n", log.Rating, log.ElapsedDays, log.Interval)
	// Output:
	// buttons: 1 1 2 8
	// good: due in 2 days, 2025-03-05 00:00:00
	// stability 2.3065, difficulty 2.1181
	// good after 2 days: due in 11 days
}
