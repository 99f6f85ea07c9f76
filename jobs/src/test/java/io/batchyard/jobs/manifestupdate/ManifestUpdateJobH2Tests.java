package io.batchyard.jobs.manifestupdate;

class ManifestUpdateJobH2Tests extends ManifestUpdateJobTests {

}
