import { defineRules } from './secret-rule.js';

// `scheme://user:password@host` (RFC 3986 §3.2.1 userinfo). The span is the password only, so a redacted
// URL still says where it pointed. User and password exclude `@`, `/` and whitespace, and the user part
// excludes `:`, so the match is deterministic.
const userinfo = String.raw`[^\s:@/]{1,128}:(?<value>[^\s@/]{1,256})@[^\s/?#@]{1,256}`;

function connectionString(scheme: string): RegExp {
  return new RegExp(`${scheme}://${userinfo}`);
}

/** Database credentials: connection strings with passwords and database-platform tokens. */
export const DATABASE_RULES = defineRules('database', [
  {
    id: 'postgres-connection-string',
    type: 'POSTGRES_CONNECTION_STRING',
    provider: 'PostgreSQL',
    prefixes: ['postgres://', 'postgresql://', 'postgresql+psycopg2://', 'postgresql+asyncpg://'],
    pattern: connectionString(String.raw`postgres(?:ql)?(?:\+[a-z0-9]{1,16})?`),
  },
  {
    id: 'mysql-connection-string',
    type: 'MYSQL_CONNECTION_STRING',
    provider: 'MySQL',
    prefixes: ['mysql://', 'mysql+pymysql://', 'mysql+mysqldb://', 'mariadb://'],
    pattern: connectionString(String.raw`(?:mysql|mariadb)(?:\+[a-z0-9]{1,16})?`),
  },
  {
    id: 'mongodb-connection-string',
    type: 'MONGODB_CONNECTION_STRING',
    provider: 'MongoDB',
    prefixes: ['mongodb://', 'mongodb+srv://'],
    pattern: connectionString(String.raw`mongodb(?:\+srv)?`),
  },
  {
    id: 'redis-connection-string',
    type: 'REDIS_CONNECTION_STRING',
    provider: 'Redis',
    prefixes: ['redis://', 'rediss://'],
    // Redis URLs often carry only a password: `redis://:password@host`.
    pattern: /rediss?:\/\/[^\s:@/]{0,128}:(?<value>[^\s@/]{1,256})@[^\s/?#@]{1,256}/,
  },
  {
    id: 'amqp-connection-string',
    type: 'AMQP_CONNECTION_STRING',
    provider: 'AMQP',
    prefixes: ['amqp://', 'amqps://'],
    pattern: connectionString('amqps?'),
  },
  {
    id: 'mssql-connection-string',
    type: 'MSSQL_CONNECTION_STRING',
    provider: 'SQL Server',
    prefixes: ['mssql://', 'sqlserver://'],
    pattern: connectionString('(?:mssql|sqlserver)'),
  },
  {
    id: 'ado-net-connection-password',
    type: 'DATABASE_CONNECTION_PASSWORD',
    provider: 'ADO.NET / JDBC',
    // `Server=…;User Id=…;Password=…;` connection strings.
    keywords: ['server=', 'data source='],
    window: 300,
    pattern: /(?<![A-Za-z])(?:[Pp]assword|PASSWORD|[Pp]wd|PWD)=(?<value>[^;'"\s]{4,128})/,
    severity: 'high',
    score: 0.85,
  },
  {
    id: 'planetscale-password',
    type: 'PLANETSCALE_PASSWORD',
    provider: 'PlanetScale',
    prefixes: ['pscale_pw_'],
    pattern: /pscale_pw_[A-Za-z0-9_.-]{43}(?![A-Za-z0-9_.-])/,
    severity: 'critical',
  },
  {
    id: 'planetscale-token',
    type: 'PLANETSCALE_TOKEN',
    provider: 'PlanetScale',
    prefixes: ['pscale_tkn_', 'pscale_oauth_'],
    pattern: /pscale_(?:tkn|oauth)_[A-Za-z0-9_.-]{32,64}(?![A-Za-z0-9_.-])/,
  },
  {
    id: 'supabase-access-token',
    type: 'SUPABASE_ACCESS_TOKEN',
    provider: 'Supabase',
    prefixes: ['sbp_'],
    pattern: /sbp_[a-f0-9]{40}(?![A-Za-z0-9])/,
  },
  {
    id: 'supabase-secret-key',
    type: 'SUPABASE_SECRET_KEY',
    provider: 'Supabase',
    prefixes: ['sb_secret_'],
    pattern: /sb_secret_[A-Za-z0-9_-]{30,64}(?![A-Za-z0-9_-])/,
    severity: 'critical',
  },
  {
    id: 'databricks-token',
    type: 'DATABRICKS_TOKEN',
    provider: 'Databricks',
    prefixes: ['dapi'],
    pattern: /dapi[a-f0-9]{32}(?:-[0-9])?(?![A-Za-z0-9])/,
    minEntropy: 3,
  },
  {
    id: 'snowflake-password',
    type: 'SNOWFLAKE_PASSWORD',
    provider: 'Snowflake',
    prefixes: ['snowflake://'],
    pattern: connectionString('snowflake'),
  },
]);
