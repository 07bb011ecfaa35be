// Snippets are inserted below by the e2e suite.
