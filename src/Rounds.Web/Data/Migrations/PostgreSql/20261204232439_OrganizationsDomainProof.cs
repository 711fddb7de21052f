using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Rounds.Web.Data.Migrations.PostgreSql
{
    /// <inheritdoc />
    public partial class OrganizationsDomainProof : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "VerificationToken",
                table: "OrganizationDomains",
                type: "character varying(64)",
                maxLength: 64,
                nullable: false,
                defaultValue: "");

            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "VerifiedAt",
                table: "OrganizationDomains",
                type: "timestamp with time zone",
                nullable: true);

            // Domains claimed before proof was asked for become pending, each with a token of its own to prove it.
            migrationBuilder.Sql("UPDATE \"OrganizationDomains\" SET \"VerificationToken\" = replace(gen_random_uuid()::text, '-', '');");

            migrationBuilder.CreateIndex(
                name: "IX_OrganizationDomains_Domain_Verified",
                table: "OrganizationDomains",
                column: "Domain",
                unique: true,
                filter: "\"VerifiedAt\" IS NOT NULL");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_OrganizationDomains_Domain_Verified",
                table: "OrganizationDomains");

            migrationBuilder.DropColumn(
                name: "VerificationToken",
                table: "OrganizationDomains");

            migrationBuilder.DropColumn(
                name: "VerifiedAt",
                table: "OrganizationDomains");
        }
    }
}
