package io.batchyard.jobs.enhancement;

class EnhancementImportGridSizesH2Tests extends EnhancementImportGridSizesTests {

}
