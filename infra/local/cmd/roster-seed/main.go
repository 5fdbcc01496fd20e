// Command roster-seed makes a login and an account it owns with many
// members and events in a running local stack's table (make lighthouse
// measures the members page of such an account). It prints the account's
// id as JSON.
package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"strings"
	"time"

	"roster/infra/local/seed"
	"roster/shared/auth"
	"roster/shared/domain"
	"roster/shared/store"
	"roster/shared/testenv"
)

func main() {
	endpoint := flag.String("dynamodb", "", "DynamoDB endpoint of the running stack")
	table := flag.String("table", "roster", "table name")
	members := flag.Int("members", 10000, "members of the account")
	events := flag.Int("events", 0, "history events of the account")
	email := flag.String("email", "", "email of the owner's login (made verified)")
	password := flag.String("password", "", "password of the owner's login")
	flag.Parse()
	if err := run(*endpoint, *table, *members, *events, *email, *password); err != nil {
		fmt.Fprintln(os.Stderr, "roster-seed:", err)
		os.Exit(1)
	}
}

func run(endpoint, table string, members, events int, email, password string) error {
	if endpoint == "" || email == "" || password == "" {
		return fmt.Errorf("-dynamodb, -email and -password are required")
	}
	ctx := context.Background()
	s := store.New(store.NewClientFromConfig(testenv.AWSConfig(endpoint), true), table)
	hash, err := auth.HashPassword(password, auth.DefaultArgon2)
	if err != nil {
		return err
	}
	u := domain.User{ID: store.NewID(), Email: strings.ToLower(email), FirstName: "Ada", LastName: "Owner",
		EmailVerified: true, PasswordHash: hash, CreatedAt: time.Now().UTC()}
	if err := s.CreateUser(ctx, u, store.Mail{}); err != nil {
		return err
	}
	id, _, err := seed.Account(ctx, s, seed.Options{Members: members, Events: events, Owner: &u})
	if err != nil {
		return err
	}
	return json.NewEncoder(os.Stdout).Encode(map[string]string{"accountId": id, "userId": u.ID})
}
