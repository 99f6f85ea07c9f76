package io.batchyard.launcher.repository;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.Types;

import javax.sql.DataSource;

import io.batchyard.jobs.launch.JobParametersParser;

import org.springframework.batch.core.configuration.BatchConfigurationException;
import org.springframework.batch.core.configuration.support.JdbcDefaultBatchConfiguration;
import org.springframework.batch.core.converter.JobParametersConverter;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.repository.dao.jdbc.JdbcJobExecutionDao;
import org.springframework.batch.core.repository.support.JdbcJobRepositoryFactoryBean;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.batch.autoconfigure.BatchTaskExecutor;
import org.springframework.boot.batch.jdbc.autoconfigure.BatchJdbcProperties;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.task.TaskExecutor;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.annotation.Isolation;

/**
 * The JDBC job repository and job operator, as Spring Boot would configure them from
 * {@code spring.batch.jdbc.*}, with two changes that close a code-execution hole in
 * Spring Batch's parameter handling: parameters are read by {@link JobParametersParser}
 * (an allow-list of types) and read back from the repository by
 * {@link AllowListJobExecutionDao} (no class loaded by its stored name); and a save of an
 * execution that lost its database connection is made again once on a new one
 * ({@link MetadataSaveRetry}). Declaring a {@code DefaultBatchConfiguration} makes Boot's
 * own batch configuration back off.
 */
@Configuration
@EnableConfigurationProperties(BatchJdbcProperties.class)
class JobRepositoryConfiguration extends JdbcDefaultBatchConfiguration {

	private final DataSource dataSource;

	private final PlatformTransactionManager transactionManager;

	private final TaskExecutor taskExecutor;

	private final BatchJdbcProperties properties;

	private final ObjectProvider<ExecutionEndListener> endListeners;

	JobRepositoryConfiguration(DataSource dataSource, PlatformTransactionManager transactionManager,
			@BatchTaskExecutor TaskExecutor taskExecutor, BatchJdbcProperties properties,
			ObjectProvider<ExecutionEndListener> endListeners) {
		this.endListeners = endListeners;
		this.dataSource = dataSource;
		this.transactionManager = transactionManager;
		this.taskExecutor = taskExecutor;
		this.properties = properties;
	}

	@Bean
	@Override
	public JobRepository jobRepository() throws BatchConfigurationException {
		JdbcJobRepositoryFactoryBean factory = new AllowListJobRepositoryFactoryBean(this.endListeners);
		try {
			factory.setDataSource(getDataSource());
			factory.setTransactionManager(getTransactionManager());
			factory.setDatabaseType(getDatabaseType());
			factory.setIncrementerFactory(getIncrementerFactory());
			factory.setJobKeyGenerator(getJobKeyGenerator());
			factory.setClobType(getClobType());
			factory.setTablePrefix(getTablePrefix());
			factory.setJobInstanceIncrementerName(getJobInstanceIncrementerName());
			factory.setJobExecutionIncrementerName(getJobExecutionIncrementerName());
			factory.setStepExecutionIncrementerName(getStepExecutionIncrementerName());
			factory.setSerializer(getExecutionContextSerializer());
			factory.setConversionService(getConversionService());
			factory.setJdbcOperations(getJdbcOperations());
			factory.setCharset(getCharset());
			factory.setMaxVarCharLength(getMaxVarCharLength());
			factory.setIsolationLevelForCreateEnum(getIsolationLevelForCreate());
			factory.setValidateTransactionState(getValidateTransactionState());
			factory.afterPropertiesSet();
			return MetadataSaveRetry.wrap(factory.getObject(), getDataSource());
		}
		catch (Exception ex) {
			throw new BatchConfigurationException("Unable to configure the JDBC job repository", ex);
		}
	}

	@Override
	protected DataSource getDataSource() {
		return this.dataSource;
	}

	@Override
	protected PlatformTransactionManager getTransactionManager() {
		return this.transactionManager;
	}

	@Override
	protected TaskExecutor getTaskExecutor() {
		return this.taskExecutor;
	}

	@Override
	protected JobParametersConverter getJobParametersConverter() {
		return new JobParametersParser();
	}

	@Override
	protected String getTablePrefix() {
		String prefix = this.properties.getTablePrefix();
		return (prefix != null) ? prefix : super.getTablePrefix();
	}

	@Override
	protected boolean getValidateTransactionState() {
		return this.properties.isValidateTransactionState();
	}

	@Override
	protected Isolation getIsolationLevelForCreate() {
		Isolation isolation = this.properties.getIsolationLevelForCreate();
		return (isolation != null) ? isolation : super.getIsolationLevelForCreate();
	}

	/**
	 * Spring Batch's factory with the allow-list DAO in place of its job execution DAO,
	 * configured as the factory configures its own.
	 */
	static final class AllowListJobRepositoryFactoryBean extends JdbcJobRepositoryFactoryBean {

		private final ObjectProvider<ExecutionEndListener> endListeners;

		AllowListJobRepositoryFactoryBean(ObjectProvider<ExecutionEndListener> endListeners) {
			this.endListeners = endListeners;
		}

		/**
		 * Spring Batch's repository, told to the end listeners after each job execution
		 * update: the factory wraps what this returns in the repository's transaction
		 * advice, so their writes share the update's transaction.
		 */
		@Override
		protected Object getTarget() throws Exception {
			JobRepository target = (JobRepository) super.getTarget();
			InvocationHandler handler = (proxy, method, args) -> {
				Object result;
				try {
					result = method.invoke(target, args);
				}
				catch (InvocationTargetException ex) {
					throw ex.getTargetException();
				}
				if ("update".equals(method.getName()) && args != null && args.length == 1
						&& args[0] instanceof JobExecution execution) {
					this.endListeners.orderedStream().forEach((listener) -> listener.ended(execution));
				}
				return result;
			};
			return Proxy.newProxyInstance(JobRepository.class.getClassLoader(), new Class<?>[] { JobRepository.class },
					handler);
		}

		@Override
		protected JdbcJobExecutionDao createJobExecutionDao() {
			AllowListJobExecutionDao dao = new AllowListJobExecutionDao();
			dao.setJdbcTemplate(this.jdbcOperations);
			dao.setJobExecutionIncrementer(this.incrementerFactory.getIncrementer(this.databaseType,
					this.tablePrefix + this.jobExecutionIncrementerName));
			dao.setTablePrefix(this.tablePrefix);
			dao.setClobTypeToUse((this.clobType != null) ? this.clobType : Types.CLOB);
			dao.setExitMessageLength(this.maxVarCharLengthForExitMessage);
			dao.setConversionService(this.conversionService);
			return dao;
		}

	}

}
