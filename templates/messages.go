package templates

import (
	"golang.org/x/text/language"

	"github.com/certbatch/certbatch/internal/l10n"
)

// Fixed phrases of the template workbook and the starter config, as
// message keys: English text, translated by [Printer] (package l10n's
// catalog holds the translations). Keys with verbs take their arguments
// as strings.
const (
	MsgRequired         = "required"
	MsgOptional         = "optional"
	MsgRequiredUnless   = "required unless %s is given"         // the replacing field
	MsgRequiredWhen     = "required when %s is %s"              // field, value
	MsgRequiredWith     = "required when any %s field is given" // object path
	MsgAllowed          = "allowed: %s"
	MsgDefault          = "default: %s"
	MsgAPIDefault       = "DigiCert's default: %s"
	MsgTypeEmails       = "email addresses separated by ;"
	MsgTypeEmail        = "email address"
	MsgTypeCSR          = "PEM certificate signing request"
	MsgTypeInt          = "whole number"
	MsgTypeBool         = "true/false"
	MsgTypeDate         = "date yyyy-MM-dd"
	MsgTypeList         = "list separated by ;"
	MsgTypeIntList      = "whole numbers separated by ;"
	MsgTypeJSON         = "JSON"
	MsgTypeText         = "text"
	MsgProduct          = "the CertCentral product to order for this row"
	MsgProductDefault   = "a config's product: is used for rows that leave it empty"
	MsgNotAllowed       = "Not allowed"
	MsgPickFromList     = "Pick a value from the list."
	MsgExampleNote      = "Example only: do not copy this row to the %s sheet. certbatch refuses a row that repeats the example."
	MsgConfigHeader     = "certbatch batch configuration for %s, written with %s. Its headers are the template's, so no columns: block is needed."
	MsgConfigKey        = "The column that identifies a person across runs. Remove this line to identify people by their email."
	MsgConfigOrder      = "Constant order fields, used for rows that leave the column empty. Uncomment and fill in:"
	MsgConfigOrgID      = "your CertCentral organization ID"
	MsgConfigNoRequired = "No required field needs a constant."
	// MsgConfigSkipApproval explains skip_approval in the starter config.
	MsgConfigSkipApproval = "without it each order waits in needs_approval until an administrator approves it (certbatch approve); true needs a key allowed to skip approval"
)

// Printer returns a printer of the Msg phrases (and every other message
// of certbatch's one catalog, package l10n, which holds their
// translations) in lang, one of [Languages] (another language gets
// English).
func Printer(lang language.Tag) l10n.Printer { return l10n.For(lang) }
