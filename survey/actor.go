package survey

import "context"

// Actor is who a use case acts for: a signed-in user, an API token, or the
// system (the command line, background work). Use cases take it from the
// context so that no handler has to pass it, and none can forget to.
type Actor struct {
	// Name is how the audit log names the actor: a user's email,
	// "token:NAME", or "system".
	Name string
	// Role is what the actor may do; empty for an anonymous respondent.
	Role Role
	// UserID is the signed-in user's id, "" for a token or the system.
	UserID string
	// Regions are a coordinator's IFLA regions: the only libraries,
	// contacts and invitations the use cases show or change for them.
	// Empty for every other role (which sees every region).
	Regions []Region
}

// Coordinates reports whether the actor may see and change libraries of
// region r: every actor but a coordinator may; a coordinator only those of
// their regions (never a library without a region).
func (a Actor) Coordinates(r Region) bool {
	if a.Role != RoleCoordinator {
		return true
	}
	for _, mine := range a.Regions {
		if mine == r {
			return true
		}
	}
	return false
}

// SystemActor is the actor of the command line and of background work.
var SystemActor = Actor{Name: "system", Role: RoleAdmin}

type actorKey struct{}

// WithActor returns a context carrying the actor.
func WithActor(ctx context.Context, a Actor) context.Context {
	return context.WithValue(ctx, actorKey{}, a)
}

// ActorFrom returns the context's actor, and false when there is none (an
// anonymous respondent).
func ActorFrom(ctx context.Context) (Actor, bool) {
	a, ok := ctx.Value(actorKey{}).(Actor)
	return a, ok
}
