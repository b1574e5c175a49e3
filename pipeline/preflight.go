package pipeline

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"

	"golang.org/x/sync/errgroup"

	"github.com/certbatch/certbatch/certcentral"
	"github.com/certbatch/certbatch/internal/l10n"
	"github.com/certbatch/certbatch/mapping"
	"github.com/certbatch/certbatch/templates"
)

// AccountUse is what a batch uses of the CertCentral account: the rows
// of every product, organization and container ID, with where each ID
// came from (a column's header or a config key).
type AccountUse struct {
	Products   map[string]*Use
	Orgs       map[int64]*Use
	Containers map[int64]*Use
}

// Use is the rows that use one product or ID, in input order, and the
// columns or config keys it came from.
type Use struct {
	Rows []int
	From []string
}

func (u *Use) add(row int, from string) {
	u.Rows = append(u.Rows, row)
	if from != "" && !slices.Contains(u.From, from) {
		u.From = append(u.From, from)
	}
}

func use[K comparable](m map[K]*Use, k K, row int, from string) {
	u := m[k]
	if u == nil {
		u = &Use{}
		m[k] = u
	}
	u.add(row, from)
}

// ScanAccount maps every row of the source (without building payloads)
// and gathers what the batch uses of the account. It sends nothing.
func ScanAccount(ctx context.Context, src Source) (*AccountUse, error) {
	rd, m, err := src.open()
	if err != nil {
		return nil, err
	}
	defer rd.Close()
	u := &AccountUse{Products: map[string]*Use{}, Orgs: map[int64]*Use{}, Containers: map[int64]*Use{}}
	err = mapRows(ctx, rd, m, src.Workers, false, src.IncludeHidden, func(it *item) error {
		if it.held != nil {
			return nil // never ordered: the account need not serve it
		}
		r := &it.res
		if r.ProductKey != "" {
			use(u.Products, r.Product, r.Row, "product")
		}
		if r.OrgID != 0 {
			use(u.Orgs, r.OrgID, r.Row, r.OrgFrom)
		}
		if r.ContainerID != 0 {
			use(u.Containers, r.ContainerID, r.Row, r.ContainerFrom)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return u, nil
}

// AccountProblem is one thing wrong with the account for a batch: the
// rows it affects, the column or config key, the value, and what to do.
type AccountProblem struct {
	Rows    []int
	Column  string
	Value   string
	Message string
}

// String formats the problem like a row problem, e.g.
// `rows 2-4, 7: config order.organization.id "999999": organization
// 999999 is not on this account; ...`.
func (p AccountProblem) String() string { return p.Text(l10n.Printer{}) }

// Text is String in lp's language (the message is in the language of
// the report's printer).
func (p AccountProblem) Text(lp l10n.Printer) string {
	return lp.Sprintf("%s: %s %q: %s", RowList(lp, p.Rows), p.Column, p.Value, p.Message)
}

// RowList formats row numbers compactly: "row 7", "rows 2-4, 7".
func RowList(p l10n.Printer, rows []int) string {
	if len(rows) == 1 {
		return "row " + strconv.Itoa(rows[0])
	}
	var parts []string
	for i := 0; i < len(rows); {
		j := i
		for j+1 < len(rows) && rows[j+1] == rows[j]+1 {
			j++
		}
		if j > i {
			parts = append(parts, fmt.Sprintf("%d-%d", rows[i], rows[j]))
		} else {
			parts = append(parts, strconv.Itoa(rows[i]))
		}
		i = j + 1
		if len(parts) == 10 && i < len(rows) {
			parts = append(parts, p.Sprintf("... (%d rows)", len(rows)))
			break
		}
	}
	return "rows " + strings.Join(parts, ", ")
}

// AccountReport is the outcome of the account pre-flight.
type AccountReport struct {
	User     *certcentral.User
	Enabled  []string         // products enabled for the account
	OrgNames map[int64]string // the batch's organizations that exist
	Problems []AccountProblem
	Requests int // read-only requests sent

	badProduct   map[string]string // product -> message
	badOrg       map[int64]string
	badContainer map[int64]string
}

// Preflight checks the account for a batch with a handful of read-only
// requests, whatever the row count: the key works and whose it is (GET
// /user/me), every product used is enabled (GET /product; a product's
// other IDs count, via set), and every organization and container ID
// used exists and is active (GET /organization/{id}, GET
// /container/{id}). What is wrong is in the report's Problems; a key
// that does not work (errors.Is(err, certcentral.ErrAuth)) or a service
// that cannot be reached is the error.
func Preflight(ctx context.Context, p l10n.Printer, c *certcentral.Client, set *templates.Set, u *AccountUse) (*AccountReport, error) {
	rep := &AccountReport{OrgNames: map[int64]string{}, badProduct: map[string]string{}, badOrg: map[int64]string{}, badContainer: map[int64]string{}}
	// Every request at once: one round trip whatever the batch.
	var mu sync.Mutex
	g, gctx := errgroup.WithContext(ctx)
	g.SetLimit(8)
	var userErr error
	g.Go(func() error {
		user, err := c.UserMe(gctx)
		mu.Lock()
		defer mu.Unlock()
		rep.Requests++
		rep.User, userErr = user, err
		return err
	})
	var products []certcentral.Product
	if len(u.Products) > 0 {
		g.Go(func() error {
			ps, err := c.Products(gctx)
			mu.Lock()
			defer mu.Unlock()
			rep.Requests++
			products = ps
			return err
		})
	}
	for _, id := range sortedKeys(u.Orgs) {
		g.Go(func() error {
			o, err := c.Organization(gctx, id)
			msg, err := accountMessage(p, l10n.Term("organization"), id, err, func() string {
				if !o.Active() {
					return p.Sprintf("organization %d (%s) is not active (status %q); activate it in CertCentral or use another organization", id, o.Name, o.Status)
				}
				return ""
			}, p.Sprintf("use the ID of one of your organizations (CertCentral: Settings > Organizations)"))
			mu.Lock()
			defer mu.Unlock()
			rep.Requests++
			if o != nil && o.Name != "" {
				rep.OrgNames[id] = o.Name
			}
			if msg != "" {
				rep.badOrg[id] = msg
			}
			return err
		})
	}
	for _, id := range sortedKeys(u.Containers) {
		g.Go(func() error {
			k, err := c.Container(gctx, id)
			msg, err := accountMessage(p, l10n.Term("container"), id, err, func() string {
				if !k.Active() {
					return p.Sprintf("container %d (%s) is not active; use another container", id, k.Name)
				}
				return ""
			}, p.Sprintf("use the ID of one of your containers (CertCentral: Account > Divisions), or leave container.id out"))
			mu.Lock()
			defer mu.Unlock()
			rep.Requests++
			if msg != "" {
				rep.badContainer[id] = msg
			}
			return err
		})
	}
	if err := g.Wait(); err != nil {
		if errors.Is(userErr, certcentral.ErrAuth) {
			err = userErr // a key that does not work explains the rest
		}
		return nil, l10n.Errorf("check the account: %w", err)
	}
	enabled := map[string]bool{}
	for _, p := range products {
		rep.Enabled = append(rep.Enabled, p.NameID)
		enabled[set.Canonical(p.NameID)] = true
	}
	for _, id := range sortedKeys(u.Products) {
		if enabled[set.Canonical(id)] {
			continue
		}
		msg := p.Sprintf("product %s is not enabled for this account (enabled: %s); use one of those, or ask DigiCert to enable it",
			id, strings.Join(rep.Enabled, ", "))
		rep.badProduct[id] = msg
		rep.add(u.Products[id], id, msg)
	}
	for _, id := range sortedKeys(u.Orgs) {
		if msg := rep.badOrg[id]; msg != "" {
			rep.add(u.Orgs[id], strconv.FormatInt(id, 10), msg)
		}
	}
	for _, id := range sortedKeys(u.Containers) {
		if msg := rep.badContainer[id]; msg != "" {
			rep.add(u.Containers[id], strconv.FormatInt(id, 10), msg)
		}
	}
	return rep, nil
}

// accountMessage turns the answer about one organization or container
// into a problem message, or the run's error. Not found (404), or not
// visible to the key (403 once /user/me worked), is a problem.
func accountMessage(p l10n.Printer, kind l10n.Term, id int64, err error, inactive func() string, fix string) (string, error) {
	var apiErr *certcentral.APIError
	switch {
	case err == nil:
		return inactive(), nil
	case errors.As(err, &apiErr) && (apiErr.StatusCode == http.StatusNotFound || apiErr.StatusCode == http.StatusForbidden):
		return p.Sprintf("%s %d is not on this account (%d); %s", kind, id, apiErr.StatusCode, fix), nil
	}
	return "", err
}

func (r *AccountReport) add(u *Use, value, msg string) {
	r.Problems = append(r.Problems, AccountProblem{Rows: u.Rows, Column: strings.Join(u.From, ", "), Value: value, Message: msg})
}

// OK reports whether the account has no problem for the batch.
func (r *AccountReport) OK() bool { return len(r.Problems) == 0 }

// Check adds to a row the account problems that concern it, making it
// invalid: set it as [Source.RowCheck] so validate and submit treat those
// rows like any invalid row (nothing is sent for them).
func (r *AccountReport) Check(res *mapping.Result) {
	if msg := r.badProduct[res.Product]; msg != "" && res.ProductKey != "" {
		res.Problems = append(res.Problems, mapping.Problem{Row: res.Row, Column: "product", Value: res.Product, Message: msg})
	}
	if msg := r.badOrg[res.OrgID]; msg != "" && res.OrgID != 0 {
		res.Problems = append(res.Problems, mapping.Problem{Row: res.Row, Column: res.OrgFrom, Value: strconv.FormatInt(res.OrgID, 10), Message: msg})
	}
	if msg := r.badContainer[res.ContainerID]; msg != "" && res.ContainerID != 0 {
		res.Problems = append(res.Problems, mapping.Problem{Row: res.Row, Column: res.ContainerFrom, Value: strconv.FormatInt(res.ContainerID, 10), Message: msg})
	}
}

// OrgList names the batch's organizations that exist, e.g.
// "Example Corp (112233)", sorted by ID.
func (r *AccountReport) OrgList() string {
	var parts []string
	for _, id := range sortedKeys(r.OrgNames) {
		parts = append(parts, fmt.Sprintf("%s (%d)", r.OrgNames[id], id))
	}
	return strings.Join(parts, ", ")
}

func sortedKeys[K int64 | string, V any](m map[K]V) []K {
	ks := make([]K, 0, len(m))
	for k := range m {
		ks = append(ks, k)
	}
	sort.Slice(ks, func(i, j int) bool { return ks[i] < ks[j] })
	return ks
}
