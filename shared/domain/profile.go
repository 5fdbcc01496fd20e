package domain

import "time"

// Profile is what a user sees of their own login (GET /api/me and the
// answers of register and sign-in). Secrets never appear in it.
type Profile struct {
	ID               string    `json:"id"`
	Email            string    `json:"email"`
	FirstName        string    `json:"firstName"`
	LastName         string    `json:"lastName"`
	EmailVerified    bool      `json:"emailVerified"`
	TwoFactorEnabled bool      `json:"twoFactorEnabled"`
	LastLoginAt      time.Time `json:"lastLoginAt,omitzero"`
}

// Profile returns the user's own view of the login.
func (u User) Profile() Profile {
	return Profile{
		ID: u.ID, Email: u.Email, FirstName: u.FirstName, LastName: u.LastName,
		EmailVerified: u.EmailVerified, TwoFactorEnabled: u.TOTPEnabled, LastLoginAt: u.LastLoginAt,
	}
}

// TwoFactorPending reports whether the user started enrolling a second
// factor and has not confirmed it yet.
func (u User) TwoFactorPending() bool { return u.TOTPSecret != "" && !u.TOTPEnabled }
