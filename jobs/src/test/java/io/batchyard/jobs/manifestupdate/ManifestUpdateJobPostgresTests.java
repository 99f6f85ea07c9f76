package io.batchyard.jobs.manifestupdate;

import io.batchyard.jobs.support.PostgresTest;

@PostgresTest
class ManifestUpdateJobPostgresTests extends ManifestUpdateJobTests {

}
