package l10n

import (
	"fmt"
	"strings"
	"sync"

	"golang.org/x/text/feature/plural"
	"golang.org/x/text/language"
	"golang.org/x/text/message/catalog"
)

// tables are the catalog's messages by concern, each a map from the
// English format string (the key) to its Korean and Traditional Chinese
// texts. A key may be in several tables only with the same texts.
var tables = []map[string][2]string{
	templateMsgs, mappingMsgs, mailboxMsgs, inputMsgs, inputHints, backendMsgs, opMsgs, keysMsgs, noteMsgs, cobraMsgs, submitMsgs, rowMsgs, resultsMsgs, resultsErrs, cliMsgs, statusMsgs, lifecycleMsgs,
}

// one is the English text of a message for a count of one: the count
// is argument arg (1-based).
type one struct {
	arg  int
	text string
}

// englishOne lists the messages whose English text changes for a count
// of one ("1 row", "2 rows"); the catalog selects the form with
// x/text's plural rules. Korean and Chinese have one form.
var englishOne = merge(mappingOne, submitOne, statusOne, lifecycleOne)

// englishText lists the messages whose English is not their key: a key
// that says what the message is for where the English alone would be
// ambiguous ("%d %s" of an outcome count, whose Korean puts the word
// first).
var englishText = func() map[string]string {
	m := contextEnglish()
	m["%d %s (count of an outcome)"] = "%d %s"
	m["%s %d (count of a status)"] = "%s %d"
	return m
}()

func merge(ms ...map[string]one) map[string]one {
	out := map[string]one{}
	for _, m := range ms {
		for k, v := range m {
			out[k] = v
		}
	}
	return out
}

var (
	// cat is the one catalog.
	cat = catalog.NewBuilder(catalog.Fallback(English))
	// known holds every key of the catalog, with its translations.
	known = map[string][2]string{}
	// plain caches the texts of messages without plural forms, by
	// language index and key.
	plain sync.Map
)

func init() {
	for _, t := range tables {
		for key, tr := range t {
			if prev, ok := known[key]; ok && prev != tr {
				panic(fmt.Sprintf("l10n: message %q has two translations: %q and %q", key, prev, tr))
			}
			known[key] = tr
		}
	}
	for key, tr := range known {
		var err error
		if o, ok := englishOne[key]; ok {
			err = cat.Set(English, key, plural.Selectf(o.arg, "%d", "=1", o.text, "other", key))
		} else if en, ok := englishText[key]; ok {
			err = cat.SetString(English, key, en)
		} else {
			err = cat.SetString(English, key, key)
		}
		for i, tag := range Languages[1:] {
			if err == nil && tr[i] != "" {
				err = cat.SetString(tag, key, tr[i])
			}
		}
		if err != nil {
			panic(fmt.Sprintf("l10n: message %q: %v", key, err))
		}
	}
}

// renderer receives the text the catalog selects for a message.
type renderer struct {
	b    strings.Builder
	args []any
}

func (r *renderer) Render(s string) { r.b.WriteString(s) }

// Arg returns argument i (1-based), for the catalog's plural selection.
func (r *renderer) Arg(i int) interface{} {
	if i >= 1 && i <= len(r.args) {
		return r.args[i-1]
	}
	return nil
}

type plainKey struct {
	tag language.Tag
	key string
}

// lookup returns the catalog's text of key in tag, chosen for args.
func lookup(tag language.Tag, key string, args []any) (string, bool) {
	_, plural := englishOne[key]
	if !plural {
		if s, ok := plain.Load(plainKey{tag, key}); ok {
			return s.(string), true
		}
	}
	r := &renderer{args: args}
	if err := cat.Context(tag, r).Execute(key); err != nil {
		return "", false
	}
	s := r.b.String()
	if !plural {
		plain.Store(plainKey{tag, key}, s)
	}
	return s, true
}

// Keys returns every key of the catalog.
func Keys() []string {
	out := make([]string, 0, len(known))
	for k := range known {
		out = append(out, k)
	}
	return out
}

// Translation returns key's text in tag as the catalog holds it ("" when
// it holds none): for tests that check every message speaks every
// language.
func Translation(tag language.Tag, key string) string {
	for i, l := range Languages[1:] {
		if l == tag {
			return known[key][i]
		}
	}
	if _, ok := known[key]; ok && tag == English {
		if en, ok := englishText[key]; ok {
			return en
		}
		return key
	}
	return ""
}
