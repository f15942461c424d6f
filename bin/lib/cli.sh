# Sourced by the bin/ scripts that are plain shell (not picocli commands): the same -h/--help,
# -V/--version and unknown-option behaviour as the Java commands.
#   cli_help FILE          prints FILE's leading comment block (after the shebang) as its help
#   cli_version NAME       prints "NAME (torque VERSION)", VERSION from the parent pom
#   cli_unknown NAME OPT   one line on stderr, exit status 2
cli_top="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cli_help() {
    sed -n '2,/^[^#]/{/^#/s/^# \{0,1\}//p}' "$1"
}
cli_version() {
    echo "$1 (torque $(sed -n 's:.*<version>\(.*\)</version>.*:\1:p' "$cli_top/pom.xml" | head -1))"
}
cli_unknown() {
    echo "$1: unknown option '$2' (try --help)" >&2
    exit 2
}
