package evidence

// Config is the "evidence" section of the configuration file. Its fields carry
// yaml tags; the config package decodes it strictly (unknown keys are errors).
type Config struct{}
