package cli

import (
	"fmt"
	"strings"

	"github.com/spf13/cobra"

	"github.com/certbatch/certbatch/results"
	"github.com/certbatch/certbatch/templates"
)

// TemplateOptions are the flags and dependencies of `certbatch template`.
type TemplateOptions struct {
	IO        IO
	Product   string
	Output    string
	Templates []string
}

func newTemplateCmd(sio IO) *cobra.Command {
	o := &TemplateOptions{IO: sio}
	cmd := &cobra.Command{
		Use:   "template --product ID [-o FILE.xlsx|.csv]",
		Short: "Write an input workbook for a product: headers, notes, dropdowns and an example row",
		Example: `  certbatch template --product client_premium_sha2 -o staff.xlsx
  certbatch template --product document_signing_org_1 -o signers.csv`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error { return runTemplate(o) },
	}
	cmd.Flags().StringVar(&o.Product, "product", "", "product `ID` (required)")
	cmd.Flags().StringVarP(&o.Output, "output", "o", "", "output `FILE` (.xlsx or .csv; default <product>.template.xlsx)")
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
	if o.Output == "" {
		o.Output = o.Product + ".template.xlsx"
	}
	cols := append([]results.TemplateColumn{productColumn(t, o.Product)}, TemplateColumns(t)...)
	if err := results.WriteTemplate(o.Output, cols); err != nil {
		return err
	}
	fmt.Fprintf(o.IO.Out, "template: wrote %s (%d columns for %s)\n", o.Output, len(cols), o.Product)
	return nil
}

// productColumn is the template's first column: the product of each
// row, so a filled-in template needs no --product.
func productColumn(t *templates.Template, product string) results.TemplateColumn {
	ids := make([]string, len(t.Products))
	for i, p := range t.Products {
		ids[i] = p.ID
	}
	return results.TemplateColumn{Header: "Product", Required: true, Allowed: ids, Example: product,
		Note: "required · the CertCentral product to order for this row · allowed: " + strings.Join(ids, ", ") + " · a config's product: is used for rows that leave it empty"}
}

// TemplateColumns returns the input columns of a template workbook: one
// per field that has a default header, required fields first.
func TemplateColumns(t *templates.Template) []results.TemplateColumn {
	var req, opt []results.TemplateColumn
	for i := range t.Fields {
		f := &t.Fields[i]
		if len(f.Headers) == 0 {
			continue
		}
		c := results.TemplateColumn{
			Header:   f.Headers[0],
			Required: f.Required,
			Allowed:  f.Allowed,
			Example:  f.Example,
		}
		if f.Type == templates.TypeBool {
			c.Allowed = []string{"true", "false"}
		}
		need := "optional"
		switch {
		case f.Required && f.ReplacedBy != "":
			need = "required unless " + f.ReplacedBy + " is given"
		case f.Required:
			need = "required"
		case f.RequiredIf != nil:
			need = fmt.Sprintf("required when %s is %s", f.RequiredIf.Field, f.RequiredIf.Equals)
		case f.RequiredWith != "":
			need = "required when any " + f.RequiredWith + " field is given"
		}
		note := fmt.Sprintf("%s · %s · %s (%s)", need, typeName(f), f.Description, f.Path)
		if len(f.Allowed) > 0 {
			note += " · allowed: " + strings.Join(f.Allowed, ", ")
		}
		if f.Default != "" {
			note += " · default: " + f.Default
		} else if d := f.APIDefaultString(); d != "" {
			note += " · DigiCert's default: " + d
		}
		c.Note = note
		if f.Required {
			req = append(req, c)
		} else {
			opt = append(opt, c)
		}
	}
	return append(req, opt...)
}

func typeName(f *templates.Field) string {
	switch {
	case f.Format == templates.FormatEmail && f.Type == templates.TypeList:
		return "email addresses separated by ;"
	case f.Format == templates.FormatEmail:
		return "email address"
	case f.Format == templates.FormatCSR:
		return "PEM certificate signing request"
	}
	switch f.Type {
	case templates.TypeInt:
		return "whole number"
	case templates.TypeBool:
		return "true/false"
	case templates.TypeDate:
		return "date yyyy-MM-dd"
	case templates.TypeList:
		return "list separated by ;"
	case templates.TypeIntList:
		return "whole numbers separated by ;"
	case templates.TypeJSON:
		return "JSON"
	}
	return "text"
}
