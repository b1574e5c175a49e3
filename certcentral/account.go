package certcentral

import (
	"context"
	"strconv"
	"strings"

	"github.com/certbatch/certbatch/internal/l10n"
)

// User is the user an API key belongs to, as GET /user/me reports it
// (certcentral-today.md §5): the fields certbatch reads.
type User struct {
	ID          int64  `json:"id"`
	Username    string `json:"username"`
	Email       string `json:"email"`
	FirstName   string `json:"first_name"`
	LastName    string `json:"last_name"`
	Status      string `json:"status"`
	AccountID   int64  `json:"account_id"`
	AccessRoles []Role `json:"access_roles"`
}

// Role is one access role of a user.
type Role struct {
	ID   int64  `json:"id"`
	Name string `json:"name"`
}

// RoleNames returns the names of the user's access roles.
func (u *User) RoleNames() []string {
	out := make([]string, 0, len(u.AccessRoles))
	for _, r := range u.AccessRoles {
		if r.Name != "" {
			out = append(out, r.Name)
		}
	}
	return out
}

// Product is one product enabled for the account, as GET /product
// lists it.
type Product struct {
	NameID               string  `json:"name_id"`
	Name                 string  `json:"name"`
	Type                 string  `json:"type"`
	GroupName            string  `json:"group_name"`
	AllowedValidityYears []int64 `json:"allowed_validity_years"`
}

// Organization is an organization of the account, as GET
// /organization/{id} reports it.
type Organization struct {
	ID          int64  `json:"id"`
	Name        string `json:"name"`
	DisplayName string `json:"display_name"`
	Status      string `json:"status"`
	// IsActive is nil when the answer does not say.
	IsActive *bool `json:"is_active"`
}

// Active reports whether the organization can be ordered for: is_active
// is not false and the status, when given, is "active".
func (o *Organization) Active() bool {
	return (o.IsActive == nil || *o.IsActive) && (o.Status == "" || strings.EqualFold(o.Status, "active"))
}

// Container is a container (division) of the account, as GET
// /container/{id} reports it.
type Container struct {
	ID       int64  `json:"id"`
	Name     string `json:"name"`
	ParentID int64  `json:"parent_id"`
	// IsActive is nil when the answer does not say.
	IsActive *bool `json:"is_active"`
}

// Active reports whether the container is usable: is_active is not false.
func (c *Container) Active() bool { return c.IsActive == nil || *c.IsActive }

// BaseURL returns the API root the client talks to.
func (c *Client) BaseURL() string { return c.base.String() }

// Host returns the host name of the API root, without a port.
func (c *Client) Host() string { return c.base.Hostname() }

// UserMe fetches GET /user/me: the user the API key belongs to and its
// access roles. A key that does not work is an error matching ErrAuth.
func (c *Client) UserMe(ctx context.Context, opts ...CallOption) (*User, error) {
	var u User
	if err := c.get(ctx, l10n.Msgf("get the API key's user"), "/user/me", nil, &u, opts); err != nil {
		return nil, err
	}
	return &u, nil
}

// Products fetches GET /product: the products enabled for the account.
func (c *Client) Products(ctx context.Context, opts ...CallOption) ([]Product, error) {
	var list struct {
		Products []Product `json:"products"`
	}
	if err := c.get(ctx, l10n.Msgf("list products"), "/product", nil, &list, opts); err != nil {
		return nil, err
	}
	return list.Products, nil
}

// Organization fetches GET /organization/{id}. An organization that is
// not on the account is an *APIError with StatusCode 404.
func (c *Client) Organization(ctx context.Context, id int64, opts ...CallOption) (*Organization, error) {
	var o Organization
	if err := c.get(ctx, l10n.Msgf("get organization %d", id), "/organization/"+strconv.FormatInt(id, 10), nil, &o, opts); err != nil {
		return nil, err
	}
	return &o, nil
}

// Container fetches GET /container/{id}. A container that is not on the
// account is an *APIError with StatusCode 404.
func (c *Client) Container(ctx context.Context, id int64, opts ...CallOption) (*Container, error) {
	var k Container
	if err := c.get(ctx, l10n.Msgf("get container %d", id), "/container/"+strconv.FormatInt(id, 10), nil, &k, opts); err != nil {
		return nil, err
	}
	return &k, nil
}
