package cli

import (
	"strings"

	"github.com/spf13/cobra"

	"github.com/certbatch/certbatch/input"
)

// commonEncodings are WHATWG labels completed for --encoding besides
// input.EncodingNames (any WHATWG label is accepted).
var commonEncodings = []string{"shift_jis", "euc-jp", "gbk", "gb18030", "windows-1252", "iso-8859-1"}

// completeProducts completes --product with every product ID, including
// those of the --template files already on the command line.
func completeProducts(templateFiles *[]string) cobra.CompletionFunc {
	return func(cmd *cobra.Command, args []string, toComplete string) ([]string, cobra.ShellCompDirective) {
		var files []string
		if templateFiles != nil {
			files = *templateFiles
		}
		set, err := loadTemplates(files)
		if err != nil {
			if set, err = loadTemplates(nil); err != nil {
				return nil, cobra.ShellCompDirectiveError
			}
		}
		return matching(set.ProductIDs(), toComplete), cobra.ShellCompDirectiveNoFileComp
	}
}

// completeEncodings completes --encoding.
func completeEncodings(cmd *cobra.Command, args []string, toComplete string) ([]string, cobra.ShellCompDirective) {
	names := append(input.EncodingNames(), commonEncodings...)
	return matching(names, toComplete), cobra.ShellCompDirectiveNoFileComp
}

// completeSheets completes --sheet with the worksheets of the workbook
// named as the first argument.
func completeSheets(cmd *cobra.Command, args []string, toComplete string) ([]string, cobra.ShellCompDirective) {
	if len(args) == 0 {
		return nil, cobra.ShellCompDirectiveNoFileComp
	}
	names, err := input.SheetNames(args[0])
	if err != nil {
		return nil, cobra.ShellCompDirectiveNoFileComp
	}
	return matching(names, toComplete), cobra.ShellCompDirectiveNoFileComp
}

// matching returns the names that begin with prefix, ignoring case.
func matching(names []string, prefix string) []string {
	var out []string
	for _, n := range names {
		if strings.HasPrefix(strings.ToLower(n), strings.ToLower(prefix)) {
			out = append(out, n)
		}
	}
	return out
}
