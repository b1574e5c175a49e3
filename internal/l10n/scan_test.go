package l10n_test

import (
	"fmt"
	"go/ast"
	"go/constant"
	"go/types"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"strings"
	"testing"

	"golang.org/x/tools/go/packages"

	"github.com/certbatch/certbatch/internal/l10n"
)

// keyParam is a function parameter that takes a message key.
type keyParam struct {
	fn  types.Object
	arg int
}

// Every message key the code passes to a Printer (Sprintf, Fprintf,
// Errorf, Term), to l10n.Errorf or through a function that hands its
// parameter on as a key is a constant of the catalog: a message the
// catalog lacks would be printed in English whatever the language.
func TestEveryMessageInCatalog(t *testing.T) {
	if testing.Short() {
		t.Skip("type-checks the module")
	}
	_, file, _, _ := runtime.Caller(0)
	root := filepath.Join(filepath.Dir(file), "..", "..")
	cfg := &packages.Config{Dir: root, Mode: packages.NeedName | packages.NeedFiles | packages.NeedSyntax | packages.NeedTypes | packages.NeedTypesInfo}
	pkgs, err := packages.Load(cfg, "./...")
	if err != nil {
		t.Fatal(err)
	}
	if packages.PrintErrors(pkgs) > 0 {
		t.Fatal("the module does not type-check")
	}
	// The key parameters: the printer's methods and l10n.Errorf, then
	// every function that passes a parameter on to one of them.
	params := map[keyParam]bool{}
	for _, p := range pkgs {
		if p.PkgPath != "github.com/certbatch/certbatch/internal/l10n" {
			continue
		}
		scope := p.Types.Scope()
		params[keyParam{scope.Lookup("Errorf"), 0}] = true
		params[keyParam{scope.Lookup("Msgf"), 0}] = true
		params[keyParam{scope.Lookup("N"), 1}] = true
		printer := scope.Lookup("Printer").Type()
		ms := types.NewMethodSet(printer)
		for name, arg := range map[string]int{"Sprintf": 0, "Fprintf": 1, "Errorf": 0, "Term": 0} {
			params[keyParam{ms.Lookup(nil, name).Obj(), arg}] = true
		}
	}
	if len(params) != 7 {
		t.Fatalf("found %d of the printer's functions", len(params))
	}
	// Log messages are keys too (cli's log handler prints them in the
	// run's language); debug records are for developers and stay English.
	logs := map[types.Object]bool{}
	for _, p := range pkgs {
		for _, imp := range p.Types.Imports() {
			if imp.Path() != "log/slog" {
				continue
			}
			ms := types.NewMethodSet(types.NewPointer(imp.Scope().Lookup("Logger").Type()))
			for _, name := range []string{"Info", "Warn", "Error"} {
				logs[ms.Lookup(imp, name).Obj()] = true
			}
		}
	}
	used := map[string]string{} // key -> where
	var bad []string
	for changed := true; changed; {
		changed = false
		bad = bad[:0]
		for _, p := range pkgs {
			if p.PkgPath == "github.com/certbatch/certbatch/internal/l10n" {
				continue // the printer itself
			}
			for _, f := range p.Syntax {
				var fn *types.Func
				ast.Inspect(f, func(n ast.Node) bool {
					switch n := n.(type) {
					case *ast.FuncDecl:
						fn, _ = p.TypesInfo.Defs[n.Name].(*types.Func)
					case *ast.CallExpr:
						callee := calleeOf(p.TypesInfo, n.Fun)
						if callee == nil {
							return true
						}
						if logs[callee] && len(n.Args) > 0 {
							if tv, ok := p.TypesInfo.Types[n.Args[0]]; ok && tv.Value != nil && tv.Value.Kind() == constant.String {
								used[constant.StringVal(tv.Value)] = p.Fset.Position(n.Args[0].Pos()).String()
							}
							return true
						}
						for kp := range params {
							if kp.fn != callee || kp.arg >= len(n.Args) {
								continue
							}
							arg := n.Args[kp.arg]
							pos := p.Fset.Position(arg.Pos()).String()
							if tv, ok := p.TypesInfo.Types[arg]; ok && tv.Value != nil && tv.Value.Kind() == constant.String {
								used[constant.StringVal(tv.Value)] = pos
								continue
							}
							if i := paramIndex(p.TypesInfo, fn, arg); i >= 0 {
								if kp := (keyParam{fn, i}); !params[kp] {
									params[kp] = true
									changed = true
								}
								continue
							}
							if callee.Name() != "Term" {
								bad = append(bad, pos+": the message key is not a constant")
							}
						}
					}
					return true
				})
			}
		}
	}
	var missing []string
	for key, pos := range used {
		if !l10n.IsKnown(key) {
			bad = append(bad, pos+": "+key+": not in the catalog")
			missing = append(missing, fmt.Sprintf("\t%q: {\"\", \"\"}, // %s\n", key, pos))
		}
	}
	// L10N_MISSING=FILE writes the missing messages as table entries to
	// fill in (a translator's aid).
	if f := os.Getenv("L10N_MISSING"); f != "" {
		sort.Strings(missing)
		os.WriteFile(f, []byte(strings.Join(missing, "")), 0o600)
	}
	sort.Strings(bad)
	for _, b := range bad {
		t.Error(b)
	}
	if len(used) < 30 {
		t.Errorf("only %d message keys found in the code", len(used))
	}
}

// calleeOf returns the function or method a call expression calls.
func calleeOf(info *types.Info, fun ast.Expr) types.Object {
	switch f := ast.Unparen(fun).(type) {
	case *ast.Ident:
		return info.Uses[f]
	case *ast.SelectorExpr:
		if sel := info.Selections[f]; sel != nil {
			return sel.Obj()
		}
		return info.Uses[f.Sel]
	}
	return nil
}

// paramIndex returns which parameter of fn the expression names, or -1.
func paramIndex(info *types.Info, fn *types.Func, e ast.Expr) int {
	id, ok := ast.Unparen(e).(*ast.Ident)
	if !ok || fn == nil {
		return -1
	}
	obj := info.Uses[id]
	sig := fn.Type().(*types.Signature)
	for i := range sig.Params().Len() {
		if sig.Params().At(i) == obj {
			return i
		}
	}
	return -1
}
