package io.batchyard.launcher.repository;

import javax.sql.DataSource;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.transaction.autoconfigure.TransactionManagerCustomizers;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.support.JdbcTransactionManager;

/**
 * The application's transaction manager, used by the job repository and every chunk:
 * Spring Boot's (customizers applied) with a rollback that survives a dropped connection
 * and evicts the pool's connections after one ({@link ConnectionLossTransactionManager}).
 * Declaring it makes Boot's own back off.
 */
@Configuration(proxyBeanMethods = false)
class TransactionManagerConfiguration {

	@Bean
	JdbcTransactionManager transactionManager(DataSource dataSource,
			ObjectProvider<TransactionManagerCustomizers> customizers) {
		ConnectionLossTransactionManager transactionManager = new ConnectionLossTransactionManager(dataSource);
		customizers.ifAvailable((each) -> each.customize(transactionManager));
		return transactionManager;
	}

}
