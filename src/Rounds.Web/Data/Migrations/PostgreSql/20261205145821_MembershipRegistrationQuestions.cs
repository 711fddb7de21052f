using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Rounds.Web.Data.Migrations.PostgreSql
{
    /// <inheritdoc />
    public partial class MembershipRegistrationQuestions : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "Answers",
                table: "MembershipRegistrations",
                type: "character varying(8000)",
                maxLength: 8000,
                nullable: false,
                defaultValue: "{}");

            migrationBuilder.AddColumn<string>(
                name: "Questions",
                table: "MembershipEvents",
                type: "character varying(8000)",
                maxLength: 8000,
                nullable: false,
                defaultValue: "[]");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "Answers",
                table: "MembershipRegistrations");

            migrationBuilder.DropColumn(
                name: "Questions",
                table: "MembershipEvents");
        }
    }
}
