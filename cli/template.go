package cli

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/spf13/cobra"
	"go.yaml.in/yaml/v3"
	"golang.org/x/text/language"

	"github.com/certbatch/certbatch/internal/l10n"
	"github.com/certbatch/certbatch/results"
	"github.com/certbatch/certbatch/templates"
)

// TemplateOptions are the flags and dependencies of `certbatch template`.
type TemplateOptions struct {
	IO        IO
	Product   string
	Output    string
	ConfigOut string // --config-out; empty: <output name>.yaml beside it
	NoConfig  bool
	Templates []string
}

func newTemplateCmd(sio IO) *cobra.Command {
	o := &TemplateOptions{IO: sio}
	cmd := &cobra.Command{
		Use:   "template --product ID [-o FILE.xlsx|.csv] [--lang en|ko|zh-TW]",
		Short: "Write an input workbook for a product (headers, notes, dropdowns, an example sheet) and a starter config",
		Long: `Writes an input workbook for a product: a Product column, the key column
(an employee ID), one column per order field under its default header,
notes saying what each column takes, dropdowns of allowed values, and an
"Example" sheet with an example row. The "Orders" sheet, the one read,
has no data rows, so the example is never ordered by mistake; a .csv
template holds the header only (its examples are in the .xlsx one).

Headers, notes and dropdown help are in --lang: en, ko (Korean) or zh-TW
(Traditional Chinese); by default the language of $LC_ALL, $LC_MESSAGES or
$LANG, else English. Every language's headers are read back.

Beside the workbook it writes a starter config, <name>.yaml (or
--config-out FILE): product:, key: naming the key column, and the order
constants the product requires, commented out. It needs no columns:
block, as the headers are the template's. An existing config is never
overwritten.`,
		Example: `  certbatch template --product client_premium_sha2 -o staff.xlsx
  certbatch template --product client_premium --lang ko -o 직원.xlsx
  certbatch template --product document_signing_org_1 --lang zh-TW -o signers.csv --config-out batch.yaml`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error { return runTemplate(o) },
	}
	cmd.Flags().StringVar(&o.Product, "product", "", "product `ID` (required)")
	cmd.RegisterFlagCompletionFunc("product", completeProducts(nil))
	cmd.Flags().StringVarP(&o.Output, "output", "o", "", "output `FILE` (.xlsx or .csv; default <product>.template.xlsx)")
	cmd.Flags().StringVar(&o.ConfigOut, "config-out", "", "write the starter config to `FILE` (default: the workbook's name with .yaml; never overwritten)")
	cmd.Flags().BoolVar(&o.NoConfig, "no-config", false, "write no starter config")
	cmd.Flags().StringArrayVar(&o.Templates, "template", nil, "load a product template `FILE` (repeatable)")
	return cmd
}

func runTemplate(o *TemplateOptions) error {
	set, err := loadTemplates(o.Templates)
	if err != nil {
		return err
	}
	if o.Product == "" {
		return usageErrorf("--product is required (one of: %s)", strings.Join(set.ProductIDs(), ", "))
	}
	t, ok := set.ForProduct(o.Product)
	if !ok {
		return usageErrorf("unknown product %q (one of: %s)", o.Product, strings.Join(set.ProductIDs(), ", "))
	}
	p := o.IO.P()
	tag := p.Tag()
	if o.Output == "" {
		o.Output = o.Product + ".template.xlsx"
	}
	cfgPath, explicit := o.ConfigOut, o.ConfigOut != ""
	switch {
	case o.NoConfig && explicit:
		return usageErrorf("--config-out and --no-config exclude each other")
	case o.NoConfig:
	case !explicit:
		cfgPath = strings.TrimSuffix(o.Output, filepath.Ext(o.Output)) + ".yaml"
	}
	keep := false // an existing config at the default path is left as it is
	if cfgPath != "" {
		if _, err := os.Lstat(cfgPath); err == nil {
			if explicit {
				return usageErrorf("--config-out %s exists; certbatch never overwrites a config", cfgPath)
			}
			keep = true
		}
	}
	cols := TemplateColumnsFor(t, o.Product, tag)
	text := results.TemplateText{NotAllowedTitle: p.Sprintf(templates.MsgNotAllowed), NotAllowed: p.Sprintf(templates.MsgPickFromList),
		ExampleNote: p.Sprintf(templates.MsgExampleNote, "%s")}
	if err := results.WriteTemplateText(o.Output, cols, text); err != nil {
		return err
	}
	p.Fprintf(o.IO.Out, "template: wrote %s (%d columns for %s, %s)\n", o.Output, len(cols), o.Product, tag)
	switch {
	case keep:
		p.Fprintf(o.IO.Out, "template: kept the existing %s (a config is never overwritten)\n", cfgPath)
	case cfgPath != "":
		key := ""
		if t.KeyColumn != nil {
			key = t.KeyColumn.HeadersFor(templates.LangKey(tag))[0]
		}
		if err := writeNewFile(cfgPath, StarterConfig(t, o.Product, filepath.Base(o.Output), key, tag)); err != nil {
			return err
		}
		p.Fprintf(o.IO.Out, "template: wrote %s (fill in %s, then: certbatch validate %s --config %s)\n", cfgPath, o.Output, o.Output, cfgPath)
	}
	return nil
}

// writeNewFile writes b to a file that must not exist yet (mode 0600):
// a config someone made meanwhile is not overwritten either.
func writeNewFile(path string, b []byte) error {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if errors.Is(err, fs.ErrExist) {
		return usageErrorf("%s exists; certbatch never overwrites a config", path)
	}
	if err != nil {
		return l10n.Errorf("write config: %w", err)
	}
	_, err = f.Write(b)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		os.Remove(path)
		return l10n.Errorf("write config %s: %w", path, err)
	}
	return nil
}

// TemplateColumns returns the input columns of an English template
// workbook: one per field that has a default header, required fields
// first. [TemplateColumnsFor] adds the product and key columns and
// writes another language.
func TemplateColumns(t *templates.Template) []results.TemplateColumn {
	return fieldColumns(t, "", language.English)
}

// TemplateColumnsFor returns every column of a template workbook for
// product in lang: the Product column, the key column when the template
// names one, then the fields' (as [TemplateColumns]), with headers and
// notes in lang.
func TemplateColumnsFor(t *templates.Template, product string, lang language.Tag) []results.TemplateColumn {
	p := templates.Printer(lang)
	ids := make([]string, len(t.Products))
	for i, pr := range t.Products {
		ids[i] = pr.ID
	}
	// The product column keeps its English header in every language:
	// it is the header mapping finds a product column by.
	cols := []results.TemplateColumn{{Header: "Product", Required: true, Allowed: ids, Example: product,
		Prompt: p.Sprintf(templates.MsgProduct),
		Note: strings.Join([]string{p.Sprintf(templates.MsgRequired), p.Sprintf(templates.MsgProduct),
			p.Sprintf(templates.MsgAllowed, strings.Join(ids, ", ")), p.Sprintf(templates.MsgProductDefault)}, " · ")}}
	if k := t.KeyColumn; k != nil {
		lk := templates.LangKey(lang)
		cols = append(cols, results.TemplateColumn{Header: k.HeadersFor(lk)[0], Required: true, Example: k.Example,
			Note: strings.Join([]string{p.Sprintf(templates.MsgRequired), p.Sprintf(templates.MsgTypeText), k.DescriptionFor(lk)}, " · ")})
	}
	return append(cols, fieldColumns(t, product, lang)...)
}

// fieldColumns are the field columns of a workbook for product ("": the
// template's own required flags), required ones first.
func fieldColumns(t *templates.Template, product string, lang language.Tag) []results.TemplateColumn {
	p := templates.Printer(lang)
	lk := templates.LangKey(lang)
	var req, opt []results.TemplateColumn
	for i := range t.Fields {
		f := &t.Fields[i]
		hs := f.HeadersFor(lk)
		if len(hs) == 0 {
			continue
		}
		required := f.Required || product != "" && f.RequiredForProduct(product) && f.AppliesTo(product)
		c := results.TemplateColumn{
			Header:   hs[0],
			Required: required,
			Allowed:  f.AllowedValues(product),
			Example:  f.Example,
		}
		allowedNote := c.Allowed
		switch f.Type {
		case templates.TypeBool:
			c.Allowed, allowedNote = []string{"true", "false"}, nil
		case templates.TypeList:
			c.Allowed = nil // a cell holds several values: no dropdown, the note lists them
		}
		if len(c.Allowed) > 0 {
			c.Prompt = f.DescriptionFor(lk)
		}
		need := p.Sprintf(templates.MsgOptional)
		switch {
		case required && f.ReplacedBy != "":
			need = p.Sprintf(templates.MsgRequiredUnless, f.ReplacedBy)
		case required:
			need = p.Sprintf(templates.MsgRequired)
		case f.RequiredIf != nil:
			need = p.Sprintf(templates.MsgRequiredWhen, f.RequiredIf.Field, strings.Join(f.RequiredIf.Values(), " / "))
		case f.RequiredWith != "":
			need = p.Sprintf(templates.MsgRequiredWith, f.RequiredWith)
		}
		note := fmt.Sprintf("%s · %s · %s (%s)", need, typeName(p, f), f.DescriptionFor(lk), f.Path)
		if len(allowedNote) > 0 {
			note += " · " + p.Sprintf(templates.MsgAllowed, strings.Join(allowedNote, ", "))
		}
		if f.Default != "" {
			note += " · " + p.Sprintf(templates.MsgDefault, f.Default)
		} else if d := f.APIDefaultString(); d != "" {
			note += " · " + p.Sprintf(templates.MsgAPIDefault, d)
		}
		c.Note = note
		if required {
			req = append(req, c)
		} else {
			opt = append(opt, c)
		}
	}
	return append(req, opt...)
}

func typeName(p l10n.Printer, f *templates.Field) string {
	switch {
	case f.Format == templates.FormatEmail && f.Type == templates.TypeList:
		return p.Sprintf(templates.MsgTypeEmails)
	case f.Format == templates.FormatEmail:
		return p.Sprintf(templates.MsgTypeEmail)
	case f.Format == templates.FormatCSR:
		return p.Sprintf(templates.MsgTypeCSR)
	}
	switch f.Type {
	case templates.TypeInt:
		return p.Sprintf(templates.MsgTypeInt)
	case templates.TypeBool:
		return p.Sprintf(templates.MsgTypeBool)
	case templates.TypeDate:
		return p.Sprintf(templates.MsgTypeDate)
	case templates.TypeList:
		return p.Sprintf(templates.MsgTypeList)
	case templates.TypeIntList:
		return p.Sprintf(templates.MsgTypeIntList)
	case templates.TypeJSON:
		return p.Sprintf(templates.MsgTypeJSON)
	}
	return p.Sprintf(templates.MsgTypeText)
}

// StarterConfig returns the batch config written beside a template
// workbook: product:, key: naming the key column (when key is not
// empty), and, commented out under order:, the constants the product
// requires that rows may share (organization ID, validity: required
// fields that are numbers, true/false or one of a list, have no default
// and are not the person's). It has no columns: block: the workbook's
// headers are the template's defaults. Comments are in lang.
func StarterConfig(t *templates.Template, product, workbook, key string, lang language.Tag) []byte {
	p := templates.Printer(lang)
	var b bytes.Buffer
	fmt.Fprintf(&b, "# %s\n", p.Sprintf(templates.MsgConfigHeader, product, workbook))
	fmt.Fprintf(&b, "product: %s\n", yamlScalar(product))
	if key != "" {
		fmt.Fprintf(&b, "# %s\nkey: %s\n", p.Sprintf(templates.MsgConfigKey), yamlScalar(key))
	}
	fmt.Fprintf(&b, "# %s\norder:\n", p.Sprintf(templates.MsgConfigOrder))
	var open []string // the object path of the last line written
	n := 0
	for i := range t.Fields {
		f := &t.Fields[i]
		if !f.RequiredForProduct(product) || f.Default != "" || len(f.Indicator) > 0 || !f.AppliesTo(product) ||
			f.Path == t.IdentityPath(product) || f.Path == t.CommonName ||
			f.Type != templates.TypeInt && f.Type != templates.TypeBool && len(f.Allowed) == 0 {
			continue
		}
		parts := strings.Split(f.Path, ".")
		common := 0
		for common < len(open) && common < len(parts)-1 && open[common] == parts[common] {
			common++
		}
		for d := common; d < len(parts)-1; d++ {
			fmt.Fprintf(&b, "  # %s%s:\n", strings.Repeat("  ", d), parts[d])
		}
		open = parts[:len(parts)-1]
		v, why := placeholder(p, f)
		fmt.Fprintf(&b, "  # %s%s: %s  # %s\n", strings.Repeat("  ", len(parts)-1), parts[len(parts)-1], v, why)
		n++
	}
	if n == 0 {
		fmt.Fprintf(&b, "  # %s\n", p.Sprintf(templates.MsgConfigNoRequired))
	}
	// Approvals are on by default in CertCentral
	// (https://docs.digicert.com/manage-certificates/managing-certificate-request-approvals/):
	// the one line that says what skip_approval changes.
	for i := range t.Fields {
		if f := &t.Fields[i]; f.Path == "skip_approval" && f.AppliesTo(product) {
			fmt.Fprintf(&b, "  # skip_approval: true  # %s\n", p.Sprintf(templates.MsgConfigSkipApproval))
		}
	}
	return b.Bytes()
}

// placeholder returns a commented-out constant's value and its comment.
func placeholder(p l10n.Printer, f *templates.Field) (value, comment string) {
	parts := []string{p.Sprintf(templates.MsgRequired)}
	switch {
	case f.Path == "organization.id":
		value = "123456"
		parts = append(parts, p.Sprintf(templates.MsgConfigOrgID))
	case len(f.Allowed) > 0 && (f.Type == templates.TypeInt || f.Type == templates.TypeBool):
		value = f.Allowed[0]
		parts = append(parts, p.Sprintf(templates.MsgAllowed, strings.Join(f.Allowed, ", ")))
	case len(f.Allowed) > 0:
		value = yamlScalar(f.Allowed[0])
		parts = append(parts, p.Sprintf(templates.MsgAllowed, strings.Join(f.Allowed, ", ")))
	case f.Type == templates.TypeBool:
		value = "true"
	default:
		value = "0"
	}
	if f.ReplacedBy != "" {
		parts[0] = p.Sprintf(templates.MsgRequiredUnless, f.ReplacedBy)
	}
	return value, strings.Join(parts, " · ")
}

// yamlScalar writes s as a YAML scalar, quoted when YAML would read it
// as something else.
func yamlScalar(s string) string {
	b, err := yaml.Marshal(s)
	if err != nil {
		return fmt.Sprintf("%q", s)
	}
	return strings.TrimSuffix(string(b), "\n")
}
