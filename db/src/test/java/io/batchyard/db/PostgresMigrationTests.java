package io.batchyard.db;

import javax.sql.DataSource;

import io.batchyard.test.EmbeddedPostgresServer;

class PostgresMigrationTests extends MigrationTests {

	@Override
	DataSource newDatabase() {
		return EmbeddedPostgresServer.newDatabase();
	}

	@Override
	String vendor() {
		return "postgresql";
	}

	@Override
	String nextValue(String sequence) {
		return "nextval('" + sequence + "')";
	}

}
