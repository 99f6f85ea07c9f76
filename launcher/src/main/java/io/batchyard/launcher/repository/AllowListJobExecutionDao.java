package io.batchyard.launcher.repository;

import java.util.LinkedHashSet;
import java.util.Set;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import io.batchyard.jobs.launch.JobParameterTypes;

import org.springframework.batch.core.job.parameters.JobParameter;
import org.springframework.batch.core.job.parameters.JobParameters;
import org.springframework.batch.core.repository.dao.jdbc.JdbcJobExecutionDao;

/**
 * Spring Batch's job execution DAO, except that it reads parameters back without loading
 * a class by the name stored in {@code PARAMETER_TYPE}. Spring Batch calls
 * {@code Class.forName} on it and converts the value with that class's String
 * constructor, so a row written before types were restricted (or by another tool) would
 * construct an arbitrary class every time the execution is read, by the API, the
 * dashboard, a restart or the purge. Here a type outside {@link JobParameterTypes} (or a
 * value its type cannot read) comes back as its raw text, typed String: the execution
 * still renders, nothing is constructed.
 */
class AllowListJobExecutionDao extends JdbcJobExecutionDao {

	private static final Log logger = LogFactory.getLog(AllowListJobExecutionDao.class);

	private static final String FIND_PARAMETERS = "SELECT PARAMETER_NAME, PARAMETER_TYPE, PARAMETER_VALUE, IDENTIFYING"
			+ " FROM %PREFIX%JOB_EXECUTION_PARAMS WHERE JOB_EXECUTION_ID = ?";

	@Override
	public JobParameters getJobParameters(Long executionId) {
		Set<JobParameter<?>> parameters = new LinkedHashSet<>();
		getJdbcTemplate().query(getQuery(FIND_PARAMETERS), (rs) -> {
			String name = rs.getString("PARAMETER_NAME");
			String typeName = rs.getString("PARAMETER_TYPE");
			String text = rs.getString("PARAMETER_VALUE");
			boolean identifying = "Y".equalsIgnoreCase(rs.getString("IDENTIFYING"));
			parameters.add(parameter(executionId, name, typeName, text, identifying));
		}, executionId);
		return new JobParameters(parameters);
	}

	@SuppressWarnings({ "unchecked", "rawtypes" })
	private static JobParameter<?> parameter(Long executionId, String name, String typeName, String text,
			boolean identifying) {
		Class<?> type = JobParameterTypes.forName(typeName);
		if (type != null && text != null) {
			try {
				return new JobParameter(name, JobParameterTypes.parse(text, type), type, identifying);
			}
			catch (IllegalArgumentException ex) {
				logger.warn("Execution " + executionId + ": parameter '" + name + "' is stored as " + typeName
						+ " but its value is not one (" + ex.getMessage() + "); read as its raw text");
			}
		}
		else if (type == null) {
			logger.warn("Execution " + executionId + ": parameter '" + name + "' is stored with type '" + typeName
					+ "', which is not an allowed parameter type; read as its raw text, nothing constructed");
		}
		return new JobParameter(name, String.valueOf(text), String.class, identifying);
	}

}
