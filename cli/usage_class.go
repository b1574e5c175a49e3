package cli

// isUsageClass reports errors that mean "the run could not start or
// could not go on through no fault of a row": exit code 2.
var usageClassifiers []func(error) bool

func isUsageClass(err error) bool {
	for _, f := range usageClassifiers {
		if f(err) {
			return true
		}
	}
	return false
}
