package io.batchyard.db;

import java.util.UUID;

import javax.sql.DataSource;

import org.h2.jdbcx.JdbcDataSource;

class H2MigrationTests extends MigrationTests {

	@Override
	DataSource newDatabase() {
		JdbcDataSource dataSource = new JdbcDataSource();
		// The launcher's embedded default runs H2 in PostgreSQL mode.
		dataSource.setURL("jdbc:h2:mem:migration-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1;MODE=PostgreSQL");
		dataSource.setUser("sa");
		return dataSource;
	}

	@Override
	String vendor() {
		return "h2";
	}

	@Override
	String nextValue(String sequence) {
		return "NEXT VALUE FOR " + sequence;
	}

}
