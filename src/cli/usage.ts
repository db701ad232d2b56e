/** Help texts: one per command, plus the top level. Kept together so they read consistently. */

export const COMMANDS = ['serve', 'demo', 'check', 'alert', 'keys', 'journal', 'drill', 'help'] as const;
export type Command = (typeof COMMANDS)[number];

const TOP = `Usage: switchyard <command> [options]

Switchyard is a self-hosted AI gateway: it speaks the OpenAI and Anthropic APIs
and keeps answering when a provider goes down.

Commands:
  serve    Run the gateway (config: --config, ./switchyard.yaml, or API keys in the environment)
  demo     Run the gateway against three simulated providers (no network, no keys)
  check    Validate the configuration and print the resolved routes
  alert    Send a test alert to the configured targets: switchyard alert test
  keys     Manage virtual keys: switchyard keys create|list|show|revoke|rotate|usage
  journal  List, search, show and export journaled conversations
  drill    Rehearse an outage: replay a real incident against your configuration
  help     Show help for a command: switchyard help <command>

Options:
  -h, --help       Show help (also after a command: switchyard serve --help)
  -v, --version    Print the version

Try it now:  switchyard demo
`;

const SERVE = `Usage: switchyard serve [--config FILE] [--port N] [--host H] [--workers N]

Run the gateway. Clients use it like the OpenAI API (base URL http://HOST:PORT/v1)
or the Anthropic API (base URL http://HOST:PORT).

Configuration comes from, in order: --config FILE; ./switchyard.yaml; or, when
neither exists, the API keys in the environment (OPENAI_API_KEY, ANTHROPIC_API_KEY,
GEMINI_API_KEY or GOOGLE_API_KEY, PERPLEXITY_API_KEY).

Options:
  -c, --config FILE   Configuration file (see switchyard.example.yaml)
  -p, --port N        Port to listen on; beats PORT and the file (default 4000; 0 = any free port)
      --host H        Interface to listen on; beats the file (default 127.0.0.1)
  -w, --workers N     Run N gateway processes on the one port (default 1). They share
                      limits, parked credentials and breakers through
                      storage: { state: redis }; without it N > 1 is refused,
                      unless storage: { state: memory } accepts limits per process
                      (docs/scale-out.md). A crashed worker is started again.
  -h, --help          Show this help

Environment:
  PORT                Port to listen on, when --port is not given
  LOG_LEVEL           Log level: debug, info (default), warn, error

Stops gracefully on Ctrl-C (SIGINT) or SIGTERM; a second Ctrl-C stops at once.
`;

const DEMO = `Usage: switchyard demo [--port N] [--no-traffic] [--no-outage]

Start three simulated providers (OpenAI, Anthropic, Gemini) on loopback and a
gateway in front of them, then print commands to try. Works with no network and
no API keys. Runs until Ctrl-C.

While it runs, a gentle background load (2-3 requests a second) goes through
the gateway, and the simulated OpenAI has a 90-second outage 5 seconds after
start and every 12 minutes after that. Open http://127.0.0.1:PORT/status: within
a minute an incident opens and traffic moves to the other providers; 2-3
minutes after the outage the provider is green again, and 5 minutes later the
incident resolves.

Models: chat (openai -> anthropic -> gemini), claude (anthropic first),
gemini (gemini first), embed.

Options:
  -p, --port N     Gateway port; beats PORT (default 4000; 0 = any free port)
      --no-traffic Send no background requests (request logs are then shown)
      --no-outage  Keep the simulated providers healthy
  -h, --help       Show this help
`;

const CHECK = `Usage: switchyard check [--config FILE]

Validate the configuration and print what the gateway would do: each model
name clients may send, the targets it tries in order (provider, type, base URL,
upstream model), and whether each provider has a key (never the key itself).
Exits 0 when the configuration is valid, 1 when it is not.

Options:
  -c, --config FILE   Configuration file (default: ./switchyard.yaml, else the environment)
  -h, --help          Show this help
`;

const ALERT = `Usage: switchyard alert test [--config FILE] [--name NAME]

Send a test alert to every target in the \`alerts:\` section (or only NAME) and
print, per target, whether it was delivered or why not. One attempt per target
(10 s timeout); webhook URLs are shown with their host only.
Exits 0 when every target got it, 1 otherwise.

Options:
  -c, --config FILE   Configuration file (default: ./switchyard.yaml)
  -n, --name NAME     Only this alert target
  -h, --help          Show this help
`;

const KEYS = `Usage: switchyard keys <subcommand> [options]

Manage the gateway's virtual keys (sk-sy-...) in <data_dir>/keys.db, the store a
running gateway reads (it sees changes within guard.key_refresh_ms, default 5 s).
A key is printed once, when created or rotated; only its hash is kept.

Subcommands:
  create --name NAME [--team T] [--owner O] [--alias A]... [--priority P]
         [--expires 2026-12-31T00:00:00Z] [--rpm N] [--tpm N] [--concurrency N]
         [--budget USD [--budget-period day|week|month]] [--meta key=value]...
                 Create a key (--alias repeats; none = every model; budget period default month)
  list           List keys: id, prefix, status, name, team, limits in force
  show ID        Show one key
  revoke ID      Revoke a key (for good)
  rotate ID [--grace-seconds N]
                 Issue a new key for ID; the old one keeps working N seconds (default 3600)
  usage ID [--url URL]
                 Live counters from the running gateway's admin API (needs SWITCHYARD_ADMIN_KEY
                 or guard.admin_key; URL default: the configured host and port)

Options:
  -c, --config FILE   Configuration file (guard.data_dir, status.data_dir, priorities, default limits)
      --data-dir DIR  Where keys.db lives; beats the file (default ./.switchyard-data)
      --json          Print JSON instead of text
  -h, --help          Show this help
`;

const JOURNAL = `Usage: switchyard journal list   [filters] [--format table|json]
       switchyard journal search WORDS... [filters] [--format table|json]
       switchyard journal show   ID [--format markdown|json|openai|anthropic]
       switchyard journal export [--conversation ID | filters] [--format json|openai|anthropic|markdown]

Read the conversation journal (journal.db in the data directory; see docs/journal.md).
Safe while the gateway runs. Every key's conversations are shown.

export writes to stdout: json = one conversation per line; openai / anthropic = one
request body per line that the official SDK sends as it is; markdown = readable.

Options:
  -c, --config FILE      Configuration file (its journal.data_dir or status.data_dir)
  -d, --data-dir DIR     The data directory (default: ./.switchyard-data)
  -f, --format F         Output format (see above)
      --conversation ID  Only this conversation
      --key K            Only this key's conversations
      --alias A          Only conversations begun on this model alias
      --from T, --to T   Active in this window (ISO 8601 date or Unix seconds)
  -n, --limit N          At most N conversations (list default 20; export default all)
  -h, --help             Show this help
`;

const DRILL = `Usage: switchyard drill <scenario|file> [--config FILE | --compare A.yaml B.yaml]
                      [--html FILE] [--json FILE] [--min-success R] [--speed N] [--seed N]

Rehearse an outage. Every provider of your configuration is replaced by a simulator
of the same kind (same models, nothing leaves this machine, no keys are needed), the
scenario's timeline plays on them, and its traffic goes through a real gateway built
from your configuration; at the same time the same traffic goes to each model's first
provider directly with its SDK's default retries, as your application would without a
gateway. Hours of incident replay in about a minute.

Built-in scenarios (switchyard drill --list): 2024-12-11-openai, 2024-06-04-domino,
2023-11-08-ddos, total-outage, slow-burn, stall, partial, staggered-recovery,
mid-stream-cuts. A file is a scenario of your own (docs/drills.md).

Options:
  -c, --config FILE      Configuration to drill (default: ./switchyard.yaml, else a
                         built-in example: openai -> anthropic -> gemini)
      --compare A B      Drill two configurations, one after the other, side by side
      --html FILE        Write the report as a self-contained HTML page with charts
      --json FILE        Write the report as JSON
      --min-success R    Exit 3 when less than this share (0..1) of requests succeeded
                         through the gateway, e.g. --min-success 0.999 in CI
      --speed N          Scenario seconds per second of waiting (default: the scenario
                         in about 35 s of waiting, plus the work)
      --seed N           Replace the scenario's seed (the traffic and every fault draw)
      --no-baseline      Skip the run without a gateway
      --list             List the built-in scenarios
  -h, --help             Show this help

Exit codes: 0 done, 1 configuration or scenario error, 2 wrong command line,
3 below --min-success.
`;

const HELP = `Usage: switchyard help [command]

Show help for a command (${COMMANDS.join(', ')}).
`;

export const USAGE: Record<Command | '', string> = { '': TOP, serve: SERVE, demo: DEMO, check: CHECK, alert: ALERT, keys: KEYS, journal: JOURNAL, drill: DRILL, help: HELP };

export function usage(command: string): string {
  return USAGE[(COMMANDS as readonly string[]).includes(command) ? (command as Command) : ''];
}
