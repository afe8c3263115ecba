SET application_name = 'PostgreSQL JDBC Driver'
