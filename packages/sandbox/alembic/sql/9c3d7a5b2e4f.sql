-- Running upgrade 4b2f1e8c9a01 -> 9c3d7a5b2e4f

CREATE TABLE providers (
    id SERIAL NOT NULL,
    organization_id INTEGER NOT NULL,
    title VARCHAR(20),
    first_name VARCHAR(100) NOT NULL,
    last_name VARCHAR(100) NOT NULL,
    npi VARCHAR(10) NOT NULL,
    specialty VARCHAR(100),
    email VARCHAR(255),
    phone VARCHAR(30),
    date_of_birth DATE,
    created_at TIMESTAMP WITH TIME ZONE DEFAULT now(),
    updated_at TIMESTAMP WITH TIME ZONE DEFAULT now(),
    is_deleted BOOLEAN DEFAULT false NOT NULL,
    PRIMARY KEY (id),
    FOREIGN KEY(organization_id) REFERENCES organizations (id)
);

CREATE UNIQUE INDEX ix_providers_npi ON providers (npi);

CREATE INDEX ix_providers_organization_id ON providers (organization_id);

CREATE TABLE licenses (
    id SERIAL NOT NULL,
    provider_id INTEGER NOT NULL,
    organization_id INTEGER NOT NULL,
    state VARCHAR(2) NOT NULL,
    license_type VARCHAR(50) NOT NULL,
    license_number VARCHAR(50) NOT NULL,
    status VARCHAR(20) DEFAULT 'active' NOT NULL,
    issue_date DATE,
    expiration_date DATE,
    created_at TIMESTAMP WITH TIME ZONE DEFAULT now(),
    updated_at TIMESTAMP WITH TIME ZONE DEFAULT now(),
    PRIMARY KEY (id),
    FOREIGN KEY(organization_id) REFERENCES organizations (id),
    FOREIGN KEY(provider_id) REFERENCES providers (id) ON DELETE CASCADE
);

CREATE INDEX ix_licenses_provider_id ON licenses (provider_id);

CREATE INDEX ix_licenses_expiration_date ON licenses (expiration_date);

UPDATE alembic_version SET version_num='9c3d7a5b2e4f' WHERE alembic_version.version_num = '4b2f1e8c9a01';
